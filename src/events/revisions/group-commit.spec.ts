import { sql } from '../../database/sql';
import { BatchCommitter, BatchItems, CREATION_BATCHING, GroupCommit, GroupCommitLimits, PendingCreation } from './group-commit';
import type { EventRevision } from './revision.types';

const creation = (name: string, chars = 10): PendingCreation => ({
  eventRow: sql`(${name})`,
  revisionRow: sql`(${name})`,
  revision: { event: name } as unknown as EventRevision, // the batching never reads it
  statements: [sql`INSERT ${name}`],
  chars,
});
const nameOf = (c: PendingCreation) => c.eventRow.params[0] as string;

/** A committer whose transactions finish when the test says so; it records what each committed and answers each creation with its name. */
class FakeCommitter implements BatchCommitter<PendingCreation, string> {
  readonly calls: string[][] = [];
  private readonly open: { names: string[]; finish: (error?: unknown) => void }[] = [];
  failTogether: unknown = null;
  failAlone = new Set<string>();

  async commitTogether(creations: PendingCreation[]): Promise<string[]> {
    await this.transaction(creations.map(nameOf), this.failTogether);
    return creations.map((c) => `${nameOf(c)} together`);
  }
  async commitAlone(c: PendingCreation): Promise<string> {
    await this.transaction([nameOf(c)], this.failAlone.has(nameOf(c)) ? new Error(`refused ${nameOf(c)}`) : null);
    return `${nameOf(c)} alone`;
  }
  /** Finishes every open transaction (in order). */
  async finishAll(): Promise<void> {
    while (this.open.length > 0) {
      this.open.shift()!.finish();
      await new Promise((r) => setImmediate(r));
    }
  }
  private transaction(names: string[], error: unknown): Promise<void> {
    this.calls.push(names);
    return new Promise((resolve, reject) => this.open.push({ names, finish: () => (error ? reject(error) : resolve()) }));
  }
}

/** The group the tests use: creations batched by their chars, as the writers do. */
const groupOf = (committer: FakeCommitter, limits?: GroupCommitLimits, gather?: (waiting: () => number) => Promise<void>) =>
  new GroupCommit(committer, CREATION_BATCHING, limits, gather);

function track(promise: Promise<unknown>) {
  const state = { settled: false, error: undefined as unknown, result: undefined as unknown };
  promise.then(
    (result) => Object.assign(state, { settled: true, result }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('commits a lone creation at once, alone', async () => {
    const committer = new FakeCommitter();
    const done = track(groupOf(committer).commit(creation('a')));
    expect(committer.calls).toEqual([['a']]);
    await tick();
    expect(done.settled).toBe(false); // answered only after its commit
    await committer.finishAll();
    expect(done).toEqual({ settled: true, error: undefined, result: 'a alone' });
  });

  it('commits what waited while the slots were busy as one transaction, each settling after it', async () => {
    const committer = new FakeCommitter();
    const group = groupOf(committer, { maxBatch: 100, maxChars: 1000, maxRunning: 1 });
    const states = ['a', 'b', 'c', 'd'].map((name) => track(group.commit(creation(name))));
    expect(committer.calls).toEqual([['a']]);
    committer['open'].shift()!.finish();
    await tick();
    expect(committer.calls).toEqual([['a'], ['b', 'c', 'd']]);
    expect(states.map((s) => s.settled)).toEqual([true, false, false, false]);
    await committer.finishAll();
    expect(states.map((s) => s.result)).toEqual(['a alone', 'b together', 'c together', 'd together']);
  });

  it('keeps batches within maxBatch and maxChars (a creation larger than maxChars goes alone)', async () => {
    const committer = new FakeCommitter();
    const group = groupOf(committer, { maxBatch: 2, maxChars: 25, maxRunning: 1 });
    const all = [creation('a'), creation('b'), creation('c'), creation('d'), creation('e', 30), creation('f'), creation('g', 20)].map((c) =>
      group.commit(c),
    );
    await committer.finishAll();
    await Promise.all(all);
    expect(committer.calls).toEqual([['a'], ['b', 'c'], ['d'], ['e'], ['f'], ['g']]);
  });

  it('when a batch fails, commits its creations one by one: only the one refused alone fails', async () => {
    const committer = new FakeCommitter();
    committer.failTogether = new Error('Duplicate entry');
    committer.failAlone.add('c');
    const group = groupOf(committer, { maxBatch: 100, maxChars: 1000, maxRunning: 1 });
    const states = ['a', 'b', 'c', 'd'].map((name) => track(group.commit(creation(name))));
    await committer.finishAll();
    await tick();
    expect(committer.calls).toEqual([['a'], ['b', 'c', 'd'], ['b'], ['c'], ['d']]);
    expect(states.map((s) => s.settled)).toEqual([true, true, true, true]);
    expect(states.map((s) => (s.error as Error | undefined)?.message)).toEqual([undefined, undefined, 'refused c', undefined]);
    expect(states.map((s) => s.result)).toEqual(['a alone', 'b alone', undefined, 'd alone']);
  });

  it('fails the whole batch at once when the database is unreachable (no retries one by one)', async () => {
    const committer = new FakeCommitter();
    committer.failTogether = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const group = groupOf(committer, { maxBatch: 100, maxChars: 1000, maxRunning: 1 });
    const states = ['a', 'b', 'c'].map((name) => track(group.commit(creation(name))));
    await committer.finishAll();
    await tick();
    expect(committer.calls).toEqual([['a'], ['b', 'c']]);
    expect(states.map((s) => (s.error as { code?: string } | undefined)?.code)).toEqual([undefined, 'ECONNREFUSED', 'ECONNREFUSED']);
  });

  it('runs up to maxRunning transactions at once', async () => {
    const committer = new FakeCommitter();
    const group = groupOf(committer, { maxBatch: 100, maxChars: 1000, maxRunning: 2 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((name) => group.commit(creation(name)));
    expect(committer.calls).toEqual([['a'], ['b']]);
    await committer.finishAll();
    await Promise.all(all);
    expect(committer.calls).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
  });

  it('with a gathering wait, takes every creation that arrived during it as one batch, and one at a time', async () => {
    const committer = new FakeCommitter();
    let arrive: () => void = () => undefined;
    const seen: number[] = [];
    const gather = (waiting: () => number) =>
      new Promise<void>((resolve) => {
        seen.push(waiting());
        arrive = resolve;
      });
    const group = groupOf(committer, { maxBatch: 100, maxChars: 1000, maxRunning: 4 }, gather);
    const first = group.commit(creation('a'));
    expect(committer.calls).toEqual([]); // a lone creation waits for the gathering too
    const more = ['b', 'c'].map((name) => group.commit(creation(name)));
    expect(seen).toEqual([1]); // one slot gathers; the others do not start meanwhile
    arrive();
    await tick();
    expect(committer.calls).toEqual([['a', 'b', 'c']]);
    const late = group.commit(creation('d')); // arrives while the batch is in flight: a slot is free, it gathers
    await tick();
    expect(seen).toEqual([1, 1]);
    arrive();
    await tick();
    expect(committer.calls).toEqual([['a', 'b', 'c'], ['d']]);
    await committer.finishAll();
    await Promise.all([first, ...more, late]);
  });

  it('never puts two items of one key in a batch: the later waits, in its place, for the next', async () => {
    const committer = new FakeCommitter();
    const byEvent: BatchItems<PendingCreation> = { chars: () => 0, key: (c) => nameOf(c).slice(0, 1) };
    const group = new GroupCommit(committer, byEvent, { maxBatch: 100, maxChars: 1000, maxRunning: 1 });
    const all = ['a1', 'b1', 'a2', 'c1', 'a3', 'b2'].map((name) => group.commit(creation(name)));
    await committer.finishAll();
    expect(await Promise.all(all)).toEqual(['a1 alone', 'b1 together', 'a2 together', 'c1 together', 'a3 together', 'b2 together']);
    expect(committer.calls).toEqual([['a1'], ['b1', 'a2', 'c1'], ['a3', 'b2']]);
  });
});
