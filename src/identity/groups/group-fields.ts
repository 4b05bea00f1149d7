/** A group's own fields and, when given, the full sets of its members, parents and roles. */
export interface GroupFields {
  name: string;
  isSuperuser: boolean;
  attributes: Record<string, unknown>;
  userIds?: number[];
  parentUuids?: string[];
  roleUuids?: string[];
}
