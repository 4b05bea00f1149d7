import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Micros } from '@app/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import type { DataExportRecord } from './data-export.types';

interface DataExportRow {
  id: string;
  requested_by: number | string | null;
  requested_on: number | string;
  content_type: string;
  query_params: string;
  completed: number | string | boolean;
  completed_on: number | string | null;
}

const COLUMNS = ['id', 'requested_by', 'requested_on', 'content_type', 'query_params', 'completed', 'completed_on'];

/** Every statement on `data_exports` (a small table: one row per export request). */
@Injectable()
export class DataExportsRepository {
  private readonly q: (identifier: string) => string;

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
  ) {
    this.q = config.database.type === 'mysql' ? (id) => `\`${id}\`` : (id) => `"${id}"`;
  }

  async insert(record: DataExportRecord): Promise<void> {
    await this.dataSource.query(`INSERT INTO ${this.q('data_exports')} (${COLUMNS.map(this.q).join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      record.id,
      record.requestedBy,
      record.requestedOn,
      record.contentType,
      JSON.stringify(record.queryParams),
      record.completed ? 1 : 0,
      record.completedOn,
    ]);
  }

  async findById(id: string): Promise<DataExportRecord | null> {
    const rows: DataExportRow[] = await this.dataSource.query(`${this.select()} WHERE ${this.q('id')} = ?`, [id]);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async markCompleted(id: string, completedOn: Micros): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.q('data_exports')} SET ${this.q('completed')} = 1, ${this.q('completed_on')} = ? WHERE ${this.q('id')} = ?`,
      [completedOn, id],
    );
  }

  /** Newest first; `requestedBy` undefined: everyone's. */
  async page(options: { requestedBy?: number; limit: number; offset: number }): Promise<DataExportRecord[]> {
    const { where, params } = this.owner(options.requestedBy);
    const rows: DataExportRow[] = await this.dataSource.query(
      `${this.select()}${where} ORDER BY ${this.q('requested_on')} DESC, ${this.q('id')} DESC LIMIT ? OFFSET ?`,
      [...params, options.limit, options.offset],
    );
    return rows.map(toRecord);
  }

  async count(requestedBy?: number): Promise<number> {
    const { where, params } = this.owner(requestedBy);
    const rows: { n: number | string }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM ${this.q('data_exports')}${where}`,
      params,
    );
    return Number(rows[0].n);
  }

  /** Up to `limit` ids of exports requested at or before `cutoff`, oldest first (idx_data_exports_requested_on). */
  async requestedUpTo(cutoff: Micros, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT ${this.q('id')} FROM ${this.q('data_exports')} WHERE ${this.q('requested_on')} <= ? ORDER BY ${this.q('requested_on')} LIMIT ?`,
      [cutoff, limit],
    );
    return rows.map((row) => row.id);
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.q('data_exports')} WHERE ${this.q('id')} = ?`, [id]);
  }

  private owner(requestedBy: number | undefined): { where: string; params: unknown[] } {
    return requestedBy === undefined ? { where: '', params: [] } : { where: ` WHERE ${this.q('requested_by')} = ?`, params: [requestedBy] };
  }

  private select(): string {
    return `SELECT ${COLUMNS.map(this.q).join(', ')} FROM ${this.q('data_exports')}`;
  }
}

function toRecord(row: DataExportRow): DataExportRecord {
  return {
    id: row.id,
    requestedBy: row.requested_by === null ? null : Number(row.requested_by),
    requestedOn: Number(row.requested_on),
    contentType: row.content_type,
    queryParams: JSON.parse(row.query_params) as Record<string, unknown>,
    completed: Boolean(Number(row.completed)),
    completedOn: row.completed_on === null ? null : Number(row.completed_on),
  };
}
