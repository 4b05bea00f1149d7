import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@app/auth';

/** Liveness and readiness for orchestrators; no authentication (SPEC §1). */
@ApiExcludeController()
@Public()
@Controller('-/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** 200 while the process runs. */
  @Get('live')
  @HttpCode(200)
  live(): Record<string, never> {
    return {};
  }

  /** 200 when the database answers within 2 s, else 503. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
  }
}
