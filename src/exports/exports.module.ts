import { Module } from '@nestjs/common';
import { EventsModule, EventStreamModule } from '../events';
import { IdentityModule } from '../identity/identity.module';
import { DataExportsRepository } from './data-exports.repository';
import { DataExportsService } from './data-exports.service';
import { EventsExportController } from './events-export.controller';
import { ExportCleanup } from './export-cleanup';
import { ExportJobs } from './export-jobs';
import { ReportsExportsController } from './reports-exports.controller';

/**
 * Data exports (docs/api-contract.md §3.5): `POST /events/events/export/` and `/reports/exports/`. A feature of its
 * own, outside src/events, because it needs both events (through their public surface,
 * src/events/index.ts) and identity (the requester's PartialUser), and events must not depend on
 * identity.
 */
@Module({
  imports: [EventsModule.forFeature('authentik.enterprise.reports'), EventStreamModule, IdentityModule],
  controllers: [EventsExportController, ReportsExportsController],
  providers: [DataExportsRepository, DataExportsService, ExportJobs, ExportCleanup],
})
export class ExportsModule {}
