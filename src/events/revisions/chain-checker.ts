import { bytesToUuid } from '../events.repository';
import { canonicalJson } from './canonical-json';
import { applyRevision, stateOf } from './revision-builder';
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
 */
export class ChainChecker {
  readonly broken: BrokenLink[] = [];
  private readonly uuid: string;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private state: EventState | null = null;
  private intact = true;
  private last: EventRevision | undefined;

  constructor(readonly eventHex: string) {
    this.uuid = bytesToUuid(Buffer.from(eventHex, 'hex'));
  }

  add(revision: EventRevision): void {
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
      if (row) this.report(0, 'the event has no revisions (written to the database directly)');
    } else if (row && (row.head.seq !== last.seq || row.head.hash !== last.hash)) {
      if (row.head.seq > last.seq) this.report(last.seq + 1, 'revision is missing: the event row names it as its latest');
      else this.report(last.seq, 'the event row does not name its latest revision');
    } else if (this.intact) {
      this.compareWithRow(row, last);
    }
    return this.broken;
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
    if (revision.kind === 'delete') return sameJson(revision.before, this.state) ? null : 'before does not match the state so far';
    if (revision.kind !== 'update') return `unknown kind "${String(revision.kind)}"`;
    const before = (revision.before ?? {}) as Record<string, unknown>;
    const current = this.state as unknown as Record<string, unknown>;
    const fields: string[] = Array.isArray(revision.fields) ? revision.fields : [];
    const stale = fields.filter((field) => !sameJson(before[field], current[field]));
    return stale.length === 0 ? null : `before does not match the state so far (${stale.join(', ')})`;
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
    const differing = EVENT_STATE_FIELDS.filter((field) => !sameJson(actual[field], recorded[field]));
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
