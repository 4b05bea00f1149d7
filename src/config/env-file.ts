import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './app-config';

export const ENV_FILE = '.env';

/**
 * Adds the variables of `.env` in the working directory to `env`, as `.env.example` promises,
 * with Node's own parser (the one behind `node --env-file`). A variable `env` already has wins
 * over the file. A missing file is fine; returns the absolute path of a file read.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, path = ENV_FILE): string | undefined {
  const absolute = resolve(path);
  let content: string;
  try {
    content = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new ConfigError([`${absolute}: cannot read it (${code ?? (error as Error).message})`]);
  }
  for (const [name, value] of Object.entries(parseEnv(content))) {
    if (env[name] === undefined) env[name] = value;
  }
  return absolute;
}
