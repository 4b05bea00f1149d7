import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Micros } from '@app/common';
import { Dialect, join, raw, RawSql, sql, SqlCondition, TRUE } from '../database/sql';
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

const COLUMNS = ['id', 'requested_by', 'requested_on', 'content_type', 'query_params', 'completed', 'completed_on'] as const;

/**
 * Every statement on `data_exports` (a small table: one row per export request), built like
 * every other statement: the `sql` template with the configured `Dialect` (src/database/sql).
 */
@Injectable()
export class DataExportsRepository {
  private readonly table: RawSql;
  private readonly columns: Record<(typeof COLUMNS)[number], RawSql>;
  private readonly columnList: RawSql;

  constructor(
    private readonly dataSource: DataSource,
    dialect: Dialect,
  ) {
    this.table = raw(dialect.quote('data_exports'));
    this.columns = Object.fromEntries(COLUMNS.map((name) => [name, dialect.column(name)])) as DataExportsRepository['columns'];
    this.columnList = raw(COLUMNS.map((name) => dialect.quote(name)).join(', '));
  }

  async insert(record: DataExportRecord): Promise<void> {
    const row = [
      record.id,
      record.requestedBy,
      record.requestedOn,
      record.contentType,
      JSON.stringify(record.queryParams),
      record.completed ? 1 : 0,
      record.completedOn,
    ];
    const values = join(
      row.map((value) => sql`${value}`),
      ', ',
    );
    await this.run(sql`INSERT INTO ${this.table} (${this.columnList}) VALUES (${values})`);
  }

  async findById(id: string): Promise<DataExportRecord | null> {
    const rows = await this.run<DataExportRow>(sql`${this.select()} WHERE ${this.columns.id} = ${id}`);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async markCompleted(id: string, completedOn: Micros): Promise<void> {
    const c = this.columns;
    await this.run(sql`UPDATE ${this.table} SET ${c.completed} = 1, ${c.completed_on} = ${completedOn} WHERE ${c.id} = ${id}`);
  }

  /** Newest first; `requestedBy` undefined: everyone's. */
  async page(options: { requestedBy?: number; limit: number; offset: number }): Promise<DataExportRecord[]> {
    const c = this.columns;
    const rows = await this.run<DataExportRow>(
      sql`${this.select()} WHERE ${this.owner(options.requestedBy)} ORDER BY ${c.requested_on} DESC, ${c.id} DESC LIMIT ${options.limit} OFFSET ${options.offset}`,
    );
    return rows.map(toRecord);
  }

  async count(requestedBy?: number): Promise<number> {
    const rows = await this.run<{ n: number | string }>(sql`SELECT COUNT(*) AS n FROM ${this.table} WHERE ${this.owner(requestedBy)}`);
    return Number(rows[0].n);
  }

  /** Up to `limit` ids of exports requested at or before `cutoff`, oldest first (idx_data_exports_requested_on). */
  async requestedUpTo(cutoff: Micros, limit: number): Promise<string[]> {
    const c = this.columns;
    const rows = await this.run<{ id: string }>(
      sql`SELECT ${c.id} FROM ${this.table} WHERE ${c.requested_on} <= ${cutoff} ORDER BY ${c.requested_on} LIMIT ${limit}`,
    );
    return rows.map((row) => row.id);
  }

  async delete(id: string): Promise<void> {
    await this.run(sql`DELETE FROM ${this.table} WHERE ${this.columns.id} = ${id}`);
  }

  private owner(requestedBy: number | undefined): SqlCondition {
    return requestedBy === undefined ? TRUE : sql`${this.columns.requested_by} = ${requestedBy}`;
  }

  private select(): SqlCondition {
    return sql`SELECT ${this.columnList} FROM ${this.table}`;
  }

  private run<T>(statement: SqlCondition): Promise<T[]> {
    return this.dataSource.query(statement.sql, statement.params);
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
