import { Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/identity.module';
import { EventsModule } from '../events.module';
import { EventStreamModule } from '../stream/event-stream.module';
import { DataExportsRepository } from './data-exports.repository';
import { DataExportsService } from './data-exports.service';
import { EventsExportController } from './events-export.controller';
import { ExportCleanup } from './export-cleanup';
import { ExportJobs } from './export-jobs';
import { ReportsExportsController } from './reports-exports.controller';

/**
 * Data exports (SPEC §3.5): `POST /events/events/export/` and `/reports/exports/`. Its own module,
 * beside EventsModule, because it needs the identity module (the requester's PartialUser).
 */
@Module({
  imports: [EventsModule.forFeature('authentik.enterprise.reports'), EventStreamModule, IdentityModule],
  controllers: [EventsExportController, ReportsExportsController],
  providers: [DataExportsRepository, DataExportsService, ExportJobs, ExportCleanup],
})
export class ExportsModule {}
