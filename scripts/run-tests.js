#!/usr/bin/env node
// `npm test`: every part of the suite in turn (sequentially: the e2e parts are heavy), each one
// run even when an earlier one failed, then one summary. Exits 1 when any part failed. The last
// line is the totals alone ("N passed, N failed, N skipped") for CI tooling; a check that is not
// a Jest test (types, engines, eslint, prettier) counts as one test.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const PARTS = [
  { name: 'types', checks: ['lint:types', 'lint:engines'] },
  { name: 'lint', checks: ['lint:eslint', 'lint:format'] },
  { name: 'unit', jest: 'test:unit' },
  { name: 'e2e sqlite', jest: 'test:e2e:sqlite' },
  { name: 'e2e mariadb', jest: 'test:e2e:mariadb' },
];

const resultsDir = mkdtempSync(join(tmpdir(), 'eventlog-test-results-'));

/** Runs one npm script with the output on the terminal; stops everything on Ctrl-C. */
function npmRun(script, args = []) {
  const result = spawnSync('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
    stdio: 'inherit',
  });
  if (result.signal === 'SIGINT' || result.signal === 'SIGTERM') {
    rmSync(resultsDir, { recursive: true, force: true });
    process.exit(130);
  }
  return result.status ?? 1;
}

/** Passed/failed/skipped from Jest's --json file; a suite that could not run counts as a failure. */
function jestCounts(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  } catch {
    return undefined; // Jest died before writing its report
  }
}

function runPart(part) {
  const started = Date.now();
  console.log(`\n=== ${part.name} ===`);
  let ok;
  let counts;
  if (part.checks) {
    const statuses = part.checks.map((script) => npmRun(script));
    const failed = statuses.filter((status) => status !== 0).length;
    ok = failed === 0;
    counts = { passed: statuses.length - failed, failed, skipped: 0 };
  } else {
    const file = join(resultsDir, `${part.jest.replace(/\W/g, '-')}.json`);
    ok = npmRun(part.jest, ['--json', `--outputFile=${file}`]) === 0;
    counts = jestCounts(file) ?? { passed: 0, failed: 1, skipped: 0 };
    if (!ok && counts.failed === 0) counts.failed = 1; // a failure Jest did not count (e.g. an open handle timeout)
  }
  return { name: part.name, ok, ...counts, seconds: (Date.now() - started) / 1000 };
}

const results = PARTS.map(runPart);
rmSync(resultsDir, { recursive: true, force: true });

const width = Math.max(...results.map((result) => result.name.length));
console.log('\n=== summary ===');
for (const result of results) {
  console.log(
    `${result.name.padEnd(width)}  ${result.ok ? 'passed' : 'FAILED'}  ` +
      `${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped  ${result.seconds.toFixed(1)} s`,
  );
}
const total = (key) => results.reduce((sum, result) => sum + result[key], 0);
console.log(`${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
process.exit(results.every((result) => result.ok) ? 0 : 1);
