import { bytesToUuid } from '../event-row';
import { canonicalJson } from './canonical-json';
import { applyRevision, isRemoval, stateOf } from './revision-builder';
import { contentOf, GENESIS_HASH, revisionHash } from './revision-hash';
import type { ChainedEvent } from './revision-rows';
import { EVENT_STATE_FIELDS } from './revision.types';
import type { EventRevision, EventState } from './revision.types';

/** One problem found in an event's chain: `seq` names the revision (0: the event has none). */
export interface BrokenLink {
  event: string;
  seq: number;
  reason: string;
}

/** The event row as read next to the chain: absent, or present but not valid JSON (a direct edit). */
export type RowRead = ChainedEvent | undefined | 'unreadable';

/**
 * Checks one event's chain, revision by revision in `seq` order (constant memory whatever the
 * length), then against the event row:
 * - each revision's hash is recomputed from its content: an altered revision does not match;
 * - seqs are consecutive from 1 and each `prev_hash` is the previous hash: a deleted revision
 *   leaves a gap (or, the latest one, a row whose head names a revision that is not there);
 * - the revisions make sense in order (a create first, `before` equal to the state so far);
 * - the state folded from the revisions equals the row: a row edited, inserted or deleted
 *   directly in the database does not.
 * Once the links are broken the fold is meaningless, so the row is then not compared.
 *
 * Revisions older than REVISION_RETENTION are deleted (oldest first), so a chain may begin after
 * seq 1, or be gone while its row remains. That is accepted only when the event was created at or
 * before `agedOutBefore` (its creation revision, recorded at `created`, was old enough to be
 * deleted): the oldest remaining revision's `prev_hash` is then the chain's anchor, and the fold
 * starts from the fields the remaining revisions tell (a deletion or purge tells them all). A
 * recent event missing its first revisions is still reported.
 */
export class ChainChecker {
  readonly broken: BrokenLink[] = [];
  private readonly uuid: string;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  /** Partial while a chain that lost its oldest revisions has not told every field yet. */
  private state: Partial<EventState> | null = null;
  private intact = true;
  private last: EventRevision | undefined;
  /** The first remaining seq of a chain whose oldest revisions were deleted. */
  private truncatedFrom: number | null = null;
  /** The event's `created`, as the row or any revision tells it. */
  private created: unknown;

  /** `agedOutBefore`: revisions recorded at or before it may have been deleted by their retention. */
  constructor(
    readonly eventHex: string,
    private readonly agedOutBefore?: number,
  ) {
    this.uuid = bytesToUuid(Buffer.from(eventHex, 'hex'));
  }

  add(revision: EventRevision): void {
    if (this.last === undefined && Number.isInteger(revision.seq) && revision.seq > 1) {
      // Judged in finish(), once `created` is known: aged out, or a deleted first revision.
      this.truncatedFrom = revision.seq;
      this.expectedSeq = revision.seq;
      this.prevHash = revision.prev_hash;
      this.state = {};
    }
    this.created ??= revision.after?.created ?? revision.before?.created;
    const problem = this.linkProblem(revision) ?? (this.intact ? this.foldProblem(revision) : null);
    if (problem) {
      this.report(problem.seq, problem.reason);
      this.intact = false;
    }
    // Go on from what is stored, so one bad revision is reported once, not at every later one.
    this.expectedSeq = revision.seq + 1;
    this.prevHash = revision.hash;
    this.last = revision;
  }

  /** No revision was added. */
  get isEmpty(): boolean {
    return this.last === undefined;
  }

  /** Compares the chain's end with the event row; returns every problem found. */
  finish(row: RowRead): BrokenLink[] {
    const last = this.last;
    if (row === 'unreadable') {
      this.report(last?.seq ?? 0, 'the event row is not valid JSON (edited in the database)');
    } else if (!last) {
      // Every revision aged out: the row still names its head, and was created long enough ago.
      const agedOut = row && row.head.seq > 0 && this.isAgedOut(row.event.created);
      if (row && !agedOut) this.report(0, 'the event has no revisions (written to the database directly)');
    } else if (row && (row.head.seq !== last.seq || row.head.hash !== last.hash)) {
      if (row.head.seq > last.seq) this.report(last.seq + 1, 'revision is missing: the event row names it as its latest');
      else this.report(last.seq, 'the event row does not name its latest revision');
    } else if (this.truncatedFrom !== null && !this.isAgedOut(row?.event.created ?? this.created)) {
      this.report(1, 'revision is missing (gap in seq)');
    } else if (this.intact) {
      this.compareWithRow(row, last);
    }
    return this.broken;
  }

  private isAgedOut(created: unknown): boolean {
    return this.agedOutBefore !== undefined && typeof created === 'number' && created <= this.agedOutBefore;
  }

  private linkProblem(revision: EventRevision): { seq: number; reason: string } | null {
    if (revision.seq > this.expectedSeq) return { seq: this.expectedSeq, reason: 'revision is missing (gap in seq)' };
    if (revision.seq !== this.expectedSeq) return { seq: revision.seq, reason: `unexpected seq, expected ${this.expectedSeq}` };
    if (revision.prev_hash !== this.prevHash) {
      return { seq: revision.seq, reason: 'prev_hash does not match the previous revision (a revision was removed or replaced)' };
    }
    if (!hashMatches(revision)) return { seq: revision.seq, reason: 'hash does not match the content (revision altered)' };
    return null;
  }

  /** Whether the revision can follow the state so far; applies it when it can. */
  private foldProblem(revision: EventRevision): { seq: number; reason: string } | null {
    const reason = this.sequenceProblem(revision);
    if (reason) return { seq: revision.seq, reason };
    this.state = applyRevision(this.state, revision);
    return null;
  }

  private sequenceProblem(revision: EventRevision): string | null {
    if (revision.seq === 1) return revision.kind === 'create' ? null : 'the history does not begin with a create revision';
    if (this.state === null) return 'revision after the deletion';
    if (revision.kind === 'create') return 'create revision after the first';
    const before = (revision.before ?? {}) as Record<string, unknown>;
    if (isRemoval(revision)) {
      if (this.isComplete) return sameJson(revision.before, this.state) ? null : 'before does not match the state so far';
      return this.staleFields(before, Object.keys(this.state)) ? 'before does not match the state so far' : null;
    }
    if (revision.kind !== 'update') return `unknown kind "${String(revision.kind)}"`;
    const fields: string[] = Array.isArray(revision.fields) ? revision.fields : [];
    const stale = this.staleFields(
      before,
      fields.filter((field) => this.state !== null && field in this.state),
    );
    return stale ? `before does not match the state so far (${stale})` : null;
  }

  /** The given fields whose value in `before` differs from the state so far, comma-separated. */
  private staleFields(before: Record<string, unknown>, fields: string[]): string {
    const current = (this.state ?? {}) as Record<string, unknown>;
    return fields.filter((field) => !sameJson(before[field], current[field])).join(', ');
  }

  private get isComplete(): boolean {
    return this.state !== null && EVENT_STATE_FIELDS.every((field) => field in this.state!);
  }

  private compareWithRow(row: ChainedEvent | undefined, last: EventRevision): void {
    if (!row) {
      if (this.state !== null) this.report(last.seq, 'the event is gone but its history has no delete revision');
      return;
    }
    if (this.state === null) {
      this.report(last.seq, 'the event exists but its history ends with its deletion');
      return;
    }
    const actual = stateOf(row.event) as unknown as Record<string, unknown>;
    const recorded = this.state as unknown as Record<string, unknown>;
    // All fields for a whole chain; for one that lost its oldest revisions, those it still tells.
    const differing = EVENT_STATE_FIELDS.filter((field) => field in recorded && !sameJson(actual[field], recorded[field]));
    if (differing.length > 0) {
      this.report(last.seq, `the event row differs from its history (${differing.join(', ')}): edited in the database`);
    }
  }

  private report(seq: number, reason: string): void {
    this.broken.push({ event: this.uuid, seq, reason });
  }
}

function hashMatches(revision: EventRevision): boolean {
  try {
    return revisionHash(contentOf(revision), revision.prev_hash) === revision.hash;
  } catch {
    return false; // content that is not JSON at all
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a ?? null) === canonicalJson(b ?? null);
  } catch {
    return false;
  }
}
