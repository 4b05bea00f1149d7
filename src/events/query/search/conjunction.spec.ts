import { resolveDialect } from '../../../database/sql/dialect';
import { FALSE, sql, TRUE } from '../../../database/sql/sql-condition';
import { inline, placeholderProblems } from '../testing';
import { conjunction, Conjunct } from './conjunction';

const mysql = resolveDialect('mysql');
const other: Conjunct = { kind: 'other', condition: sql`\`action\` = ${'login'}` };
const keys: Conjunct = { kind: 'keys', condition: sql`\`created\` > ${5}` };
const app: Conjunct = { kind: 'indexed', column: 'context_model_app', condition: sql`\`context_model_app\` = ${'a'}` };
const brand: Conjunct = { kind: 'indexed', column: 'brand_name', condition: sql`\`brand_name\` = ${'b'}` };
const onIndex = (column: string, condition: string) =>
  `(\`created\`, CAST(\`event_uuid\` AS BINARY(16))) IN (SELECT \`created\`, \`event_uuid\` FROM \`events\` ` +
  `FORCE INDEX (\`idx_events_${column}_created\`) WHERE ${condition})`;

const build = (conjuncts: Conjunct[], dialect = mysql) => {
  const condition = conjunction(dialect, conjuncts);
  expect(placeholderProblems(condition)).toEqual([]);
  return inline(condition);
};

describe('conjunction', () => {
  it('MariaDB: indexed conditions next to another become semijoins on their own index, parameters in order', () => {
    expect(build([app, other, brand])).toBe(
      `(${onIndex('context_model_app', "`context_model_app` = 'a'")}) AND (\`action\` = 'login') AND ` +
        `(${onIndex('brand_name', "`brand_name` = 'b'")})`,
    );
  });

  it('MariaDB: without another condition the first indexed one stays, to be walked in its index', () => {
    expect(build([app])).toBe("`context_model_app` = 'a'");
    expect(build([keys, app])).toBe("(`created` > 5) AND (`context_model_app` = 'a')");
    expect(build([brand, keys, app])).toBe(
      `(\`brand_name\` = 'b') AND (\`created\` > 5) AND (${onIndex('context_model_app', "`context_model_app` = 'a'")})`,
    );
  });

  it('an empty filter (TRUE) is no other condition; FALSE still makes the whole FALSE', () => {
    expect(build([{ kind: 'other', condition: TRUE }, app])).toBe("`context_model_app` = 'a'");
    expect(conjunction(mysql, [app, other, { kind: 'keys', condition: FALSE }])).toBe(FALSE);
    expect(conjunction(mysql, [])).toBe(TRUE);
  });

  it('without indexed conditions, or on SQLite: the plain AND', () => {
    expect(build([other, keys])).toBe("(`action` = 'login') AND (`created` > 5)");
    expect(build([app, other], resolveDialect('sqlite'))).toBe("(`context_model_app` = 'a') AND (`action` = 'login')");
  });

  const sqlite = resolveDialect('sqlite');
  const user: Conjunct = { kind: 'indexed', column: 'user_username', condition: sql`"user_username" = ${'jane'}` };
  const userPk: Conjunct = { kind: 'other', condition: sql`"user_pk" IN (${'5'}) AND pk_check`, foundThrough: 'user_pk' };

  it("SQLite: next to a condition found through a user's or an object's index, the others are likely()", () => {
    expect(build([other, user, keys], sqlite)).toBe(
      "(likely(`action` = 'login')) AND (\"user_username\" = 'jane') AND (likely(`created` > 5))",
    );
    expect(build([userPk, other], sqlite)).toBe("(\"user_pk\" IN ('5') AND pk_check) AND (likely(`action` = 'login'))");
  });

  it('no hint for a column with many rows per value, nor on MariaDB, nor for a condition alone', () => {
    expect(build([other, app], sqlite)).toBe("(`action` = 'login') AND (`context_model_app` = 'a')");
    expect(build([user], sqlite)).toBe('"user_username" = \'jane\'');
    expect(build([{ kind: 'other', condition: sql`x = ${1}`, foundThrough: 'brand_name' }, other], sqlite)).toBe(
      "(x = 1) AND (`action` = 'login')",
    );
    expect(build([other, user])).toBe(`(\`action\` = 'login') AND (${onIndex('user_username', `"user_username" = 'jane'`)})`);
  });
});
