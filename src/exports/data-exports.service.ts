import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import {
  ApiException,
  buildPagination,
  formatMicros,
  maskSecrets,
  noMatch,
  notFound,
  nowMicros,
  parsePageRequest,
  sanitizeForJson,
} from '@app/common';
import { hasPermission, Permission, Principal } from '@app/auth';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { buildListFilter, ListQuery } from '../events';
import { UsersService } from '../identity/users/users.service';
import { DataExportRecord, EVENTS_CONTENT_TYPE } from './data-export.types';
import { DataExportsRepository } from './data-exports.repository';
import { PartialUserDto } from '../identity/users/dto/partial-user.dto';
import { ContentTypeDto, DataExportDto, PaginatedDataExportList } from './dto/data-export.dto';
import { exportDownloadName, exportFilePath } from './export-files';
import { ExportJobs } from './export-jobs';

export const EXPORTS_PATH = '/api/v3/reports/exports/';

/** The events model as Django's content types name it (the id is this service's own constant). */
const EVENT_CONTENT_TYPE: ContentTypeDto = {
  id: 1,
  app_label: 'authentik_events',
  model: 'event',
  verbose_name_plural: 'Events',
  fully_qualified_model: EVENTS_CONTENT_TYPE,
};

/**
 * Data exports (docs/api-contract.md §3.5, authentik's `DataExport`): requested through
 * `POST /events/events/export/`, produced by `ExportJobs`, read back under `/reports/exports/`.
 * An export is visible to its requester (while they may view events) and to superusers;
 * to anyone else it does not exist (404).
 */
@Injectable()
export class DataExportsService {
  constructor(
    private readonly exports: DataExportsRepository,
    private readonly jobs: ExportJobs,
    private readonly users: UsersService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Checks the filters (400) and the limits on running exports (429) before anything is stored,
   * stores the request and starts the export. The stored and shown `query_params` have their
   * secrets masked like event contexts (a token pasted into the URL must not be kept); the job
   * filters with the parameters as given.
   */
  async requestEventExport(query: ListQuery, principal: Principal): Promise<DataExportDto> {
    buildListFilter(query, this.config.database.type);
    const slot = this.jobs.reserve(principal.user.pk);
    const record: DataExportRecord = {
      id: randomUUID(),
      requestedBy: principal.user.pk,
      requestedOn: nowMicros(),
      contentType: EVENTS_CONTENT_TYPE,
      queryParams: maskSecrets(sanitizeForJson({ ...query }) as Record<string, unknown>),
      completed: false,
      completedOn: null,
    };
    try {
      await this.exports.insert(record);
    } catch (error) {
      slot();
      throw error;
    }
    const { pk, username, email } = principal.user;
    this.jobs.start({ ...record, queryParams: { ...query } }, { pk, username, email }, slot);
    return this.present(record);
  }

  async retrieve(id: string, principal: Principal): Promise<DataExportDto> {
    return this.present(await this.visible(id, principal));
  }

  async list(query: ListQuery, principal: Principal): Promise<PaginatedDataExportList> {
    const page = parsePageRequest(query, this.config.pagination);
    const owner = principal.user.is_superuser ? undefined : hasPermission(principal, Permission.viewEvent) ? principal.user.pk : null;
    const count = owner === null ? 0 : await this.exports.count(owner);
    const pagination = buildPagination(page, count);
    const records =
      count === 0 || owner === null ? [] : await this.exports.page({ requestedBy: owner, limit: page.pageSize, offset: page.offset });
    const users = new Map<number, Promise<PartialUserDto | null>>();
    return { pagination, results: await Promise.all(records.map((record) => this.present(record, users))), autocomplete: {} };
  }

  /** The finished CSV file; 404 while the export is not completed. */
  async download(id: string, principal: Principal): Promise<{ file: Readable; filename: string }> {
    const record = await this.visible(id, principal);
    const path = exportFilePath(this.config.dataDir, record.id);
    if (
      !record.completed ||
      !(await access(path).then(
        () => true,
        () => false,
      ))
    )
      throw notFound();
    return { file: createReadStream(path), filename: exportDownloadName(record.id) };
  }

  /** Location of an export (the `Location` header of its creation). */
  location(id: string): string {
    return `${EXPORTS_PATH}${id}/`;
  }

  private async visible(id: string, principal: Principal): Promise<DataExportRecord> {
    const record = await this.exports.findById(id);
    const mayRead =
      record !== null &&
      (principal.user.is_superuser || (record.requestedBy === principal.user.pk && hasPermission(principal, Permission.viewEvent)));
    if (!record || !mayRead) throw noMatch('DataExport');
    return record;
  }

  private async present(record: DataExportRecord, users = new Map<number, Promise<PartialUserDto | null>>()): Promise<DataExportDto> {
    let requester: Promise<PartialUserDto | null> | undefined;
    if (record.requestedBy !== null) {
      requester = users.get(record.requestedBy) ?? this.partialUser(record.requestedBy);
      users.set(record.requestedBy, requester);
    }
    return {
      id: record.id,
      requested_by: requester ? await requester : null,
      requested_on: formatMicros(record.requestedOn)!,
      content_type: EVENT_CONTENT_TYPE,
      query_params: record.queryParams,
      file_url: record.completed ? `${this.location(record.id)}download/` : '',
      completed: record.completed,
    };
  }

  /** authentik's PartialUser of the requester; null once the user is gone. */
  private async partialUser(pk: number): Promise<PartialUserDto | null> {
    try {
      const user = await this.users.retrieve(pk);
      const { username, name, is_active, last_login, email, attributes, uid } = user;
      return {
        pk: user.pk,
        username,
        name,
        is_active: is_active ?? true,
        last_login: last_login ?? null,
        email: email ?? '',
        attributes: attributes ?? {},
        uid,
      };
    } catch (error) {
      if (error instanceof ApiException && error.getStatus() === 404) return null;
      throw error;
    }
  }
}
