import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { ChainHead, EventRevision, RevisionContent } from './revision.types';

/** The "previous hash" of an event's first revision. */
export const GENESIS_HASH = '0'.repeat(64);

export const EMPTY_HEAD: ChainHead = Object.freeze({ seq: 0, hash: GENESIS_HASH });

/** The content a hash covers, taken from a stored revision (dropping its two hashes). */
export function contentOf(revision: EventRevision): RevisionContent {
  const { event, seq, kind, actor, recorded, fields, before, after } = revision;
  return { event, seq, kind, actor, recorded, fields, before, after };
}

/** hex(SHA-256(UTF-8(canonical JSON of the content) followed by the previous hash in hex)). */
export function revisionHash(content: RevisionContent, prevHash: string): string {
  return createHash('sha256').update(canonicalJson(content) + prevHash, 'utf8').digest('hex');
}

/** Links the content after `head`: its `seq` must be the next one. */
export function sealRevision(content: RevisionContent, head: ChainHead): EventRevision {
  if (content.seq !== head.seq + 1) throw new Error(`revision ${content.seq} cannot follow ${head.seq}`);
  return { ...content, prev_hash: head.hash, hash: revisionHash(content, head.hash) };
}
