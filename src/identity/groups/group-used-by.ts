import { Injectable } from '@nestjs/common';
import type { Principal } from '@app/auth';
import type { UsedByResponse } from '@app/common';

/** What one relation of a group contributes to its `used_by/`, already filtered for the caller. */
export type GroupReferences = (principal: Principal, groupUuid: string) => Promise<UsedByResponse[]>;

/**
 * Lets features that point at groups (notification rules' `destination_group`) add to a group's
 * `used_by/` without identity importing them. Each source is named after the attribute
 * authentik's model has for the relation (`notificationrule_set`), because authentik lists
 * relations in the order of those names (`inspect.getmembers`), and so does `GroupsService`.
 */
@Injectable()
export class GroupUsedBy {
  private readonly sources = new Map<string, GroupReferences>();

  register(attribute: string, references: GroupReferences): void {
    this.sources.set(attribute, references);
  }

  entries(): [string, GroupReferences][] {
    return [...this.sources.entries()];
  }
}
