import type { DataSource, QueryRunner } from 'typeorm';
import type { SqlCondition } from './sql-condition';

/** Runs one INSERT, UPDATE or DELETE on `runner`; how many rows it changed. */
export async function affectedRows(runner: QueryRunner, statement: SqlCondition): Promise<number> {
  const result = await runner.query(statement.sql, [...statement.params], true);
  return result.affected ?? 0;
}

/** The same on a connection of its own, outside any transaction (autocommit). */
export async function affectedRowsAlone(dataSource: DataSource, statement: SqlCondition): Promise<number> {
  const runner = dataSource.createQueryRunner();
  try {
    return await affectedRows(runner, statement);
  } finally {
    await runner.release();
  }
}
