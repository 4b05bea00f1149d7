import { pickWritableFields } from '../event.types';
import type { EventRecord } from '../event.types';
import { ChainChecker } from './chain-checker';
import { changeRevision, creationRevision, deletionRevision } from './revision-builder';
import { contentOf, revisionHash } from './revision-hash';
import type { ChainedEvent } from './revision-rows';
import type { EventRevision } from './revision.types';

const UUID = '0f8e4b5a-c1d2-4f0e-9a7b-3c2d1e0f9a8b';
const ACTOR = { pk: 1, username: 'akadmin', email: 'root@example.com' };
const EVENT: EventRecord = {
  uuid: UUID,
  user: {},
  action: 'login',
  app: 'authentik.core',
  context: { a: 1 },
  client_ip: null,
  created: 1_000_000,
  expires: 2_000_000,
  brand: { name: 'b' },
};

/** A chain of create, two updates and (optionally) a delete, with the row each leaves. */
function history(deleted = false, purged = false): { revisions: EventRevision[]; row: ChainedEvent | undefined } {
  const create = creationRevision(EVENT, ACTOR);
  const first = changeRevision(EVENT, pickWritableFields({ app: 'x', client_ip: '10.0.0.1' }), create, ACTOR, 1_500_000);
  const second = changeRevision(first.updated, pickWritableFields({ context: { a: 2 } }), first.revision, {}, 1_600_000);
  const revisions = [create, first.revision, second.revision];
  if (!deleted) return { revisions, row: { event: second.updated, head: second.revision } };
  revisions.push(deletionRevision(second.updated, second.revision, purged ? {} : ACTOR, 1_700_000, purged ? 'purge' : 'delete'));
  return { revisions, row: undefined };
}

function check(revisions: EventRevision[], row: ChainedEvent | undefined | 'unreadable', agedOutBefore?: number) {
  const checker = new ChainChecker(revisions[0]?.event ?? UUID.replace(/-/g, ''), agedOutBefore);
  revisions.forEach((revision) => checker.add(revision));
  return checker.finish(row).map(({ seq, reason }) => `${seq}: ${reason}`);
}

/** Replaces one revision's content and recomputes its hash (a forger who knows the scheme). */
function forged(revision: EventRevision, change: Partial<EventRevision>): EventRevision {
  const next = { ...revision, ...change };
  return { ...next, hash: revisionHash(contentOf(next), next.prev_hash) };
}

describe('ChainChecker', () => {
  it('accepts intact chains, live or deleted', () => {
    const live = history();
    expect(check(live.revisions, live.row)).toEqual([]);
    const gone = history(true);
    expect(check(gone.revisions, gone.row)).toEqual([]);
  });

  it('reports an altered revision by its hash', () => {
    const { revisions, row } = history();
    revisions[1] = { ...revisions[1], after: { app: 'y', client_ip: '10.0.0.1' } };
    expect(check(revisions, row)).toEqual(['2: hash does not match the content (revision altered)']);
  });

  it('reports a removed revision as a gap, and a removed latest revision through the row', () => {
    const { revisions, row } = history();
    expect(check([revisions[0], revisions[2]], row)).toEqual(['2: revision is missing (gap in seq)']);
    expect(check(revisions.slice(0, 2), row)).toEqual(['3: revision is missing: the event row names it as its latest']);
  });

  it('reports a forged revision with a valid hash that no longer links to the next one', () => {
    const { revisions, row } = history();
    revisions[1] = forged(revisions[1], { after: { app: 'y', client_ip: '10.0.0.1' } });
    expect(check(revisions, row)).toEqual(['3: prev_hash does not match the previous revision (a revision was removed or replaced)']);
  });

  it('reports an event row edited, deleted or inserted directly', () => {
    const { revisions, row } = history();
    const edited = { ...row!, event: { ...row!.event, app: 'forged', expires: 9 } };
    expect(check(revisions, edited)).toEqual(['3: the event row differs from its history (app, expires): edited in the database']);
    expect(check(revisions, undefined)).toEqual(['3: the event is gone but its history has no delete revision']);
    expect(check([], row)).toEqual(['0: the event has no revisions (written to the database directly)']);
    expect(check(revisions, 'unreadable')).toEqual(['3: the event row is not valid JSON (edited in the database)']);
    const gone = history(true);
    expect(check(gone.revisions, row)).toEqual(['4: the event row does not name its latest revision']);
  });

  it('reports chains whose hashes hold but whose story does not', () => {
    const { revisions, row } = history();
    // A forger who rehashes a whole chain still has to keep `before` consistent with the fold.
    const create = forged(revisions[0], { after: { ...revisions[0].after, app: 'other' } });
    const rest = [revisions[1], revisions[2]].reduce<EventRevision[]>(
      (chain, revision) => {
        const prev = chain[chain.length - 1];
        const relinked = { ...revision, prev_hash: prev.hash };
        return [...chain, { ...relinked, hash: revisionHash(contentOf(relinked), prev.hash) }];
      },
      [create],
    );
    const head = { ...row!, head: { seq: 3, hash: rest[2].hash } };
    expect(check(rest, head)).toEqual(['2: before does not match the state so far (app)']);
  });

  it('accepts a chain ending with a purge like one ending with a deletion', () => {
    const purged = history(true, true);
    expect(purged.revisions[3].kind).toBe('purge');
    expect(check(purged.revisions, undefined)).toEqual([]);
    const live = history();
    expect(check(purged.revisions, live.row)).toEqual(['4: the event row does not name its latest revision']);
  });

  describe('with the oldest revisions removed by their retention', () => {
    const CREATED = EVENT.created;

    it('accepts them when the event is older than the retention, anchored at the oldest remaining revision', () => {
      const live = history();
      expect(check(live.revisions.slice(1), live.row, CREATED)).toEqual([]);
      expect(check(live.revisions.slice(2), live.row, CREATED)).toEqual([]);
      expect(check([], live.row, CREATED)).toEqual([]);
      const gone = history(true, true);
      expect(check(gone.revisions.slice(2), undefined, CREATED)).toEqual([]);
      expect(check(gone.revisions.slice(3), undefined, CREATED)).toEqual([]);
    });

    it('reports them when the event is more recent than the retention', () => {
      const live = history();
      expect(check(live.revisions.slice(1), live.row, CREATED - 1)).toEqual(['1: revision is missing (gap in seq)']);
      expect(check(live.revisions.slice(1), live.row)).toEqual(['1: revision is missing (gap in seq)']);
      expect(check([], live.row, CREATED - 1)).toEqual(['0: the event has no revisions (written to the database directly)']);
    });

    it('still checks what the remaining revisions tell: the fields they name, their links and hashes', () => {
      const live = history();
      const edited = { ...live.row!, event: { ...live.row!.event, context: { a: 3 }, action: 'forged' } };
      // The remaining revision names `context`, so its change is seen; `action` is no longer told.
      expect(check(live.revisions.slice(2), edited, CREATED)).toEqual([
        '3: the event row differs from its history (context): edited in the database',
      ]);
      const altered = { ...live.revisions[2], after: { context: { a: 4 } } };
      expect(check([live.revisions[1], altered], live.row, CREATED)).toEqual(['3: hash does not match the content (revision altered)']);
      expect(check([live.revisions[1]], live.row, CREATED)).toEqual(['3: revision is missing: the event row names it as its latest']);
    });
  });
});
