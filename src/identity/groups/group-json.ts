import type { Group } from '../entities/group.entity';

/**
 * authentik's `num_pk`: "a numerical, int32 ID for the group", the first five decimal digits of
 * the UUID read as a 128-bit integer (`int(str(uuid.int)[:5])`).
 */
export function numPk(groupUuid: string): number {
  return Number.parseInt(
    BigInt(`0x${groupUuid.replace(/-/g, '')}`)
      .toString()
      .slice(0, 5),
    10,
  );
}

/** `PartialGroup`: a group inside a user or a binding, without its relations. */
export function partialGroup(group: Group) {
  return {
    pk: group.groupUuid,
    num_pk: numPk(group.groupUuid),
    name: group.name,
    is_superuser: group.isSuperuser,
    attributes: group.attributes,
  };
}

/** `RelatedGroup`: a parent or child inside a group. */
export function relatedGroup(group: Group) {
  return {
    pk: group.groupUuid,
    name: group.name,
    is_superuser: group.isSuperuser,
    attributes: group.attributes,
    group_uuid: group.groupUuid,
  };
}
