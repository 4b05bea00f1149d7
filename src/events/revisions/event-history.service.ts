import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { noMatch } from '@app/common';
import { ChainVerifier } from './chain-verifier';
import { EventWriter } from './event-writer';
import type { EventRevision } from './revision.types';

/** The read side of docs/api-contract.md §7: an event's history, and the verification of every chain. */
@Injectable()
export class EventHistoryService {
  constructor(
    private readonly writer: EventWriter,
    private readonly verifier: ChainVerifier,
  ) {}

  /**
   * An event's revisions, oldest first; also for a deleted or purged event (its last revision
   * says so). 404 for an event that never existed, or whose row and revisions are all gone.
   */
  async history(uuid: string): Promise<EventRevision[]> {
    const { revisions, row } = await this.writer.readChain(uuid);
    if (revisions.length === 0 && row === undefined) throw noMatch('Event');
    return revisions;
  }

  /**
   * `{"broken": [...], "checked": n}` written while the chains are walked, so neither the walk
   * nor a long list of broken links is ever held in memory; `checked` (the number of revisions
   * checked) comes last because it is known last.
   */
  verificationReport(): Readable {
    const verifier = this.verifier;
    async function* json(): AsyncGenerator<string> {
      yield '{"broken":[';
      const walk = verifier.walk();
      let separator = '';
      for (let step = await walk.next(); ; step = await walk.next()) {
        if (step.done) {
          yield `],"checked":${step.value}}`;
          return;
        }
        yield separator + JSON.stringify(step.value);
        separator = ',';
      }
    }
    return Readable.from(json(), { objectMode: false, highWaterMark: 16 * 1024 });
  }
}
