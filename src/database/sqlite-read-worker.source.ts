/**
 * The program of one SQLite read worker (see SqliteReadWorkers), run with `new Worker(…, { eval:
 * true })` so the same text works from the build and under ts-jest. It opens its own read-only
 * connection (in WAL mode readers never wait for the writer), says it is ready, and answers one
 * statement per message. Structured cloning turns Buffers into Uint8Arrays both ways; parameters become
 * Buffers again here, rows in the main thread.
 */
export const SQLITE_READ_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
// Linux keeps a nice value per thread: this lowers this thread only, so on a busy machine the
// event loop (health, retrieve, writes) gets the CPU before a long search does. Elsewhere it
// would lower the whole process.
if (process.platform === 'linux') {
  try { require('node:os').setPriority(0, workerData.niceness); } catch { /* not permitted: normal priority */ }
}
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const statements = new Map();
parentPort.postMessage({ ready: true });
const toBuffer = (value) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value);
parentPort.on('message', ({ sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= 200) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    parentPort.postMessage({ rows: statement.all(...params.map(toBuffer)) });
  } catch (error) {
    parentPort.postMessage({ error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;
