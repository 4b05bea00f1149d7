import { Controller, Get, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@app/auth';
import { detail, ErrorDetail } from '@app/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { failoverFor } from '../database/failover/database-failover';

/** Liveness and readiness for orchestrators; no authentication (docs/api-contract.md §1). */
@ApiExcludeController()
@Public()
@Controller('-/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** 200 while the process runs. */
  @Get('live')
  @HttpCode(200)
  live(): Record<string, never> {
    return {};
  }

  /** 200 when the database answers within DATABASE_TIMEOUT_MS, else 503; 503 too while none of several hosts is usable. */
  @Get('ready')
  async ready() {
    try {
      // The last check of the hosts found none usable (e.g. every Galera node out of the primary component).
      if (failoverFor(this.config)?.usable === false) throw new Error('no usable database host');
      return await this.health.check([() => this.database.pingCheck('database', { timeout: this.config.database.timeoutMs })]);
    } catch {
      // docs/api-contract.md §1's body for "database unavailable" rather than terminus' report, which names the error.
      throw detail(HttpStatus.SERVICE_UNAVAILABLE, ErrorDetail.unavailable);
    }
  }
}
