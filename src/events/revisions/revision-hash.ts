import { createHash } from 'node:crypto';
import { SliceClock } from '@app/common';
import { canonicalJson, canonicalPieces } from './canonical-json';
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
  return createHash('sha256')
    .update(canonicalJson(content) + prevHash, 'utf8')
    .digest('hex');
}

/** Links the content after `head`: its `seq` must be the next one. */
export function sealRevision(content: RevisionContent, head: ChainHead): EventRevision {
  assertNext(content, head);
  return { ...content, prev_hash: head.hash, hash: revisionHash(content, head.hash) };
}

/** Text hashed per `update` call: large enough that the calls cost nothing, small enough to pause between. */
const HASH_CHUNK_CHARS = 64 * 1024;

/**
 * `sealRevision` that yields to the event loop every few milliseconds: the same hash (the
 * canonical text is hashed as it is produced, never built whole), for a revision computed
 * outside any transaction, such as a creation's, whose head is known before anything is read.
 */
export async function sealRevisionSliced(content: RevisionContent, head: ChainHead): Promise<EventRevision> {
  assertNext(content, head);
  const hash = createHash('sha256');
  const clock = new SliceClock();
  let chunk = '';
  for (const piece of canonicalPieces(content)) {
    chunk += piece;
    if (chunk.length < HASH_CHUNK_CHARS) continue;
    hash.update(chunk, 'utf8');
    chunk = '';
    if (clock.due()) await clock.pause();
  }
  hash.update(chunk + head.hash, 'utf8');
  return { ...content, prev_hash: head.hash, hash: hash.digest('hex') };
}

function assertNext(content: RevisionContent, head: ChainHead): void {
  if (content.seq !== head.seq + 1) throw new Error(`revision ${content.seq} cannot follow ${head.seq}`);
}
