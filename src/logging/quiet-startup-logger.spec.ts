import type { LoggerService } from '@nestjs/common';
import { QuietStartupLogger } from './quiet-startup-logger';

describe('QuietStartupLogger', () => {
  function recording(): { calls: string[]; logger: LoggerService } {
    const calls: string[] = [];
    const at =
      (level: string) =>
      (message: unknown, ...params: unknown[]) =>
        calls.push(`${level} ${String(message)} ${params.join(',')}`);
    return {
      calls,
      logger: { log: at('info'), error: at('error'), warn: at('warn'), debug: at('debug'), verbose: at('verbose'), fatal: at('fatal') },
    };
  }

  it("moves Nest's per-module and per-route start-up lines to debug, and nothing else", () => {
    const { calls, logger } = recording();
    const quiet = new QuietStartupLogger(logger);
    quiet.log('Mapped {/api/v3/core/users, GET} route', 'RouterExplorer');
    quiet.log('UsersController {/api/v3/core/users}:', 'RoutesResolver');
    quiet.log('AppModule dependencies initialized', 'InstanceLoader');
    quiet.log('eventlog listening on http://localhost:9000', 'Main');
    quiet.warn('RouterExplorer warning', 'RouterExplorer');
    quiet.error('boom', 'stack', 'RouterExplorer');
    expect(calls).toEqual([
      'debug Mapped {/api/v3/core/users, GET} route RouterExplorer',
      'debug UsersController {/api/v3/core/users}: RoutesResolver',
      'debug AppModule dependencies initialized InstanceLoader',
      'info eventlog listening on http://localhost:9000 Main',
      'warn RouterExplorer warning RouterExplorer',
      'error boom stack,RouterExplorer',
    ]);
  });
});
