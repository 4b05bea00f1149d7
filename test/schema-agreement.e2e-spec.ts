import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { startTestApp, TestApp } from './support/test-app';

/** A column as the migrated database describes it. */
interface DbColumn {
  name: string;
  /** Base type, lower case, without length: `varchar`, `bigint`, `blob`, … */
  type: string;
  length: number | null;
  nullable: boolean;
  generated: boolean;
  hasDefault: boolean;
}

/** Type families whose members hold the same values for this service's purposes. */
const FAMILIES: string[][] = [
  ['varchar', 'char', 'text', 'tinytext', 'mediumtext', 'longtext'],
  ['integer', 'int', 'bigint', 'smallint', 'mediumint', 'tinyint'],
  ['boolean', 'tinyint'],
  ['blob', 'binary', 'varbinary'],
];
const compatible = (a: string, b: string) => a === b || FAMILIES.some((family) => family.includes(a) && family.includes(b));

/**
 * Migrations are hand-written SQL and the entities are hand-written TypeScript: this checks that
 * they still describe the same tables. TypeORM's own `createSchemaBuilder().log()` reports noise
 * for this schema (it would rebuild every SQLite table to rename its constraints), so the
 * comparison is focused: every entity column exists with a compatible type, a length that holds
 * what the entity allows, the same nullability and the same generated-ness; and every column the
 * entities do not know can be left out of an insert (nullable, defaulted or generated).
 */
describe(`entities agree with the migrated schema (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  async function columnsOf(table: string): Promise<Map<string, DbColumn>> {
    const columns = new Map<string, DbColumn>();
    if (t.dialect === 'sqlite') {
      // table_xinfo, unlike table_info, lists generated columns (hidden 2 or 3).
      const rows = await t.dataSource.query(`SELECT name, type, "notnull", dflt_value, hidden FROM pragma_table_xinfo(?)`, [table]);
      for (const row of rows) {
        const [, base, length] = /^([a-z ]+?)\s*(?:\((\d+)\))?$/.exec(String(row.type).toLowerCase()) ?? [];
        columns.set(row.name, {
          name: row.name,
          type: base ?? String(row.type).toLowerCase(),
          length: length ? Number(length) : null,
          nullable: Number(row.notnull) === 0,
          generated: Number(row.hidden) >= 2,
          hasDefault: row.dflt_value !== null,
        });
      }
    } else {
      const rows = await t.dataSource.query(
        `SELECT COLUMN_NAME AS name, DATA_TYPE AS type, CHARACTER_MAXIMUM_LENGTH AS length, IS_NULLABLE AS nullable,
                EXTRA AS extra, COLUMN_DEFAULT AS dflt
           FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
        [table],
      );
      for (const row of rows) {
        columns.set(row.name, {
          name: row.name,
          type: String(row.type).toLowerCase(),
          length: row.length === null ? null : Number(row.length),
          nullable: row.nullable === 'YES',
          generated: /GENERATED/i.test(String(row.extra)),
          hasDefault: row.dflt !== null || /auto_increment/i.test(String(row.extra)),
        });
      }
    }
    return columns;
  }

  /** What is wrong with one entity column against its table, or nothing. */
  function disagreement(column: ColumnMetadata, actual: DbColumn | undefined): string | null {
    if (!actual) return 'missing from the table';
    const expectedType = String(t.dataSource.driver.normalizeType(column)).toLowerCase();
    if (!compatible(expectedType, actual.type)) return `type ${actual.type}, entity says ${expectedType}`;
    const length = Number(column.length || 0);
    if (length > 0 && actual.length !== null && actual.length < length) return `length ${actual.length}, entity allows ${length}`;
    // A primary key is never NULL whatever SQLite's table_info says of a non-integer key.
    if (!column.isPrimary && column.isNullable !== actual.nullable) return `nullable ${actual.nullable}, entity says ${column.isNullable}`;
    if (Boolean(column.generatedType) !== actual.generated)
      return `generated ${actual.generated}, entity says ${Boolean(column.generatedType)}`;
    return null;
  }

  it('maps every entity to a table', async () => {
    const tables = t.dataSource.entityMetadatas.map((metadata) => metadata.tableName);
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect({ table, columns: (await columnsOf(table)).size > 0 }).toEqual({ table, columns: true });
  });

  it('every entity column exists with a compatible type, length, nullability and generation', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const metadata of t.dataSource.entityMetadatas) {
      const actual = await columnsOf(metadata.tableName);
      for (const column of metadata.columns) {
        checked++;
        const problem = disagreement(column, actual.get(column.databaseName));
        if (problem) problems.push(`${metadata.tableName}.${column.databaseName}: ${problem}`);
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });

  it('every column the entities leave out can be left out of an insert', async () => {
    const problems: string[] = [];
    for (const metadata of t.dataSource.entityMetadatas) {
      const known = new Set(metadata.columns.map((column) => column.databaseName));
      for (const column of (await columnsOf(metadata.tableName)).values()) {
        if (!known.has(column.name) && !column.nullable && !column.hasDefault && !column.generated) {
          problems.push(`${metadata.tableName}.${column.name}: NOT NULL without a default, unknown to the entity`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
