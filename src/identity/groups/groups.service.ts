import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { hasPermission, Permission, Principal } from '@app/auth';
import { fetchPage, forbidden, ListQuery, noMatch, notFound, Paginated, translateUniqueViolation, UsedByResponse } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { mayPauseInTransactions } from '../../database/transaction-pauses';
import { AuditedUpdate, auditedUpdate, auditedUpdateAhead, PreviewedUpdate } from '../audit/audited-change';
import { AuditOrigin, ModelAudit } from '../audit/model-audit';
import { groupState } from '../audit/model-states';
import { GroupMember } from '../entities/group-member.entity';
import { GroupParent } from '../entities/group-parent.entity';
import { GroupRole } from '../entities/group-role.entity';
import { Group } from '../entities/group.entity';
import { User } from '../entities/user.entity';
import { GroupRequest, PatchedGroupRequest, UserAccountRequest } from './dto/group-request.dto';
import { GroupResponse } from './dto/group.dto';
import { GroupFields } from './group-fields';
import { GroupInput, NAME_TAKEN } from './group-input';
import { GroupReferences, GroupUsedBy } from './group-used-by';
import { GroupExpansions, GroupPresenter } from './group-presenter';
import { groupListQuery } from './groups.query';
import { superuserGrantProblem } from './superuser-grants';

type Relation = 'users' | 'parents' | 'roles';

/**
 * Groups (`/api/v3/core/groups/`). `create`, `update` and `remove` are the only code paths that
 * write a group; `addMember` / `removeMember` change who is in it one user at a time. Every
 * write goes through TypeORM, so the principal cache forgets resolved tokens at once.
 */
@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly presenter: GroupPresenter,
    private readonly input: GroupInput,
    private readonly audit: ModelAudit,
    private readonly usedByExtensions: GroupUsedBy,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async list(query: ListQuery, expand: GroupExpansions): Promise<Paginated<GroupResponse>> {
    const { pagination, rows } = await fetchPage(await groupListQuery(this.dataSource, query), query, this.config.pagination);
    return { pagination, results: await this.presenter.present(rows, expand), autocomplete: {} };
  }

  async retrieve(uuid: string, expand: GroupExpansions): Promise<GroupResponse> {
    return this.presenter.presentOne(await this.findByUuid(uuid), expand);
  }

  async createFromRequest(principal: Principal, body: GroupRequest, origin?: AuditOrigin): Promise<GroupResponse> {
    const fields = await this.input.toFields(principal, body, null, false);
    const group = await this.dataSource.transaction((m) =>
      this.create({ isSuperuser: false, attributes: {}, ...fields, name: body.name }, m, origin),
    );
    return this.presenter.presentOne(group);
  }

  /** PUT (`partial` false: `users` defaults to none, as authentik's serializer) and PATCH. */
  async updateFromRequest(
    principal: Principal,
    uuid: string,
    body: GroupRequest | PatchedGroupRequest,
    partial: boolean,
    origin?: AuditOrigin,
  ): Promise<GroupResponse> {
    const group = await this.findByUuid(uuid);
    const changes = await this.input.toFields(principal, body, group, partial);
    // SQLite: the model_updated event is computed before the transaction (a group's attributes may be large).
    const updated = mayPauseInTransactions(this.config.database.type)
      ? await this.dataSource.transaction((m) => this.update(group, changes, m, origin))
      : await auditedUpdateAhead(this.audit, this.groupUpdateAhead(group, changes, origin), this.dataSource, origin);
    return this.presenter.presentOne(updated);
  }

  async destroy(uuid: string, origin?: AuditOrigin): Promise<void> {
    const group = await this.findByUuid(uuid);
    await this.dataSource.transaction((m) => this.remove(group, m, origin));
  }

  /**
   * `add_user/`: the user must be visible to the caller (`view_user`), else a bare 404. Idempotent.
   * Joining a group that makes superusers needs `enable_group_superuser` (403), see superuser-grants.ts.
   */
  async addUser(principal: Principal, uuid: string, body: UserAccountRequest, origin?: AuditOrigin): Promise<void> {
    const group = await this.findByUuid(uuid);
    const user = await this.findVisibleUser(principal, body.pk);
    if (await superuserGrantProblem(this.dataSource.manager, principal, [group.groupUuid], [])) throw forbidden();
    await this.dataSource.transaction((m) => this.addMember(group, user, m, origin));
  }

  async removeUser(principal: Principal, uuid: string, body: UserAccountRequest, origin?: AuditOrigin): Promise<void> {
    const group = await this.findByUuid(uuid);
    const user = await this.findVisibleUser(principal, body.pk);
    if (await superuserGrantProblem(this.dataSource.manager, principal, [], [group.groupUuid])) throw forbidden();
    await this.dataSource.transaction((m) => this.removeMember(group, user, m, origin));
  }

  /**
   * `used_by/`: children and parents (`cascade_many`), roles (`cascade_many`), members
   * (`cascade_many`), and what other features register (`GroupUsedBy`), each relation in the order
   * of authentik's attribute names and only if the caller may view that model.
   */
  async usedBy(principal: Principal, uuid: string): Promise<UsedByResponse[]> {
    const group = await this.findByUuid(uuid);
    const sources: [string, GroupReferences][] = [
      ['children', (p, id) => this.relatedGroups(p, id, 'children')],
      ['parents', (p, id) => this.relatedGroups(p, id, 'parents')],
      ['roles', (p, id) => this.roleReferences(p, id)],
      ['users', (p, id) => this.memberReferences(p, id)],
      ...this.usedByExtensions.entries(),
    ];
    sources.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const used: UsedByResponse[] = [];
    for (const [, references] of sources) used.push(...(await references(principal, group.groupUuid)));
    return used;
  }

  private async memberReferences(principal: Principal, groupUuid: string): Promise<UsedByResponse[]> {
    if (!hasPermission(principal, Permission.viewUser)) return [];
    const members = await this.dataSource.manager.find(GroupMember, {
      where: { groupUuid },
      relations: { user: true },
      order: { userId: 'ASC' },
    });
    return members.flatMap(({ user }) =>
      user
        ? [{ app: 'authentik_core', model_name: 'user', pk: String(user.id), name: user.username, action: 'cascade_many' as const }]
        : [],
    );
  }

  private async relatedGroups(principal: Principal, groupUuid: string, side: 'children' | 'parents'): Promise<UsedByResponse[]> {
    if (!hasPermission(principal, Permission.viewGroup)) return [];
    const m = this.dataSource.manager;
    const related =
      side === 'children'
        ? (await m.find(GroupParent, { where: { parentUuid: groupUuid }, relations: { child: true } })).map((edge) => edge.child)
        : (await m.find(GroupParent, { where: { childUuid: groupUuid }, relations: { parent: true } })).map((edge) => edge.parent);
    return related.flatMap((other) =>
      other
        ? [
            {
              app: 'authentik_core',
              model_name: 'group',
              pk: other.groupUuid,
              name: `Group ${other.name}`,
              action: 'cascade_many' as const,
            },
          ]
        : [],
    );
  }

  private async roleReferences(principal: Principal, groupUuid: string): Promise<UsedByResponse[]> {
    if (!hasPermission(principal, Permission.viewRole)) return [];
    const rows = await this.dataSource.manager.find(GroupRole, { where: { groupUuid }, relations: { role: true } });
    return rows.flatMap(({ role }) =>
      role ? [{ app: 'authentik_rbac', model_name: 'role', pk: role.uuid, name: role.name, action: 'cascade_many' as const }] : [],
    );
  }

  async findByUuid(uuid: string, m: EntityManager = this.dataSource.manager): Promise<Group> {
    const group = await m.findOne(Group, { where: { groupUuid: uuid } });
    if (!group) throw noMatch('Group');
    return group;
  }

  /** The one way a group comes into being; records `model_created` (in `m`'s transaction). */
  async create(fields: GroupFields, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<Group> {
    const { userIds = [], parentUuids = [], roleUuids = [], ...columns } = fields;
    const group = m.create(Group, { groupUuid: randomUUID(), ...columns });
    await translateUniqueViolation(() => m.insert(Group, group as QueryDeepPartialEntity<Group>), 'name', NAME_TAKEN);
    await this.audit.created(group, origin, m);
    await this.replaceRelations(group, { userIds, parentUuids, roleUuids }, m, origin);
    return group;
  }

  /** The one way a group changes; records `model_updated` with the diff, and each relation change. */
  async update(
    group: Group,
    changes: Partial<GroupFields>,
    m: EntityManager = this.dataSource.manager,
    origin?: AuditOrigin,
  ): Promise<Group> {
    return auditedUpdate(this.audit, this.groupUpdate(group, changes, origin), m, origin);
  }

  private groupUpdate(group: Group, changes: Partial<GroupFields>, origin?: AuditOrigin): AuditedUpdate<Group> & { preview: Group } {
    const { userIds, parentUuids, roleUuids, ...columns } = changes;
    const preview = this.dataSource.manager.create(Group, { ...group, ...columns });
    return {
      before: () => groupState(group),
      apply: async (tx) => {
        if (Object.keys(columns).length) {
          await translateUniqueViolation(
            () => tx.update(Group, { groupUuid: group.groupUuid }, columns as QueryDeepPartialEntity<Group>),
            'name',
            NAME_TAKEN,
          );
        }
        return preview;
      },
      after: (updated) => groupState(updated),
      afterRecorded: (tx, updated) => this.replaceRelations(updated, { userIds, parentUuids, roleUuids }, tx, origin),
      preview,
    };
  }

  /**
   * `groupUpdate` for auditedUpdateAhead. A group has no last-updated column: the transaction
   * compares its row as stored, the attributes as their JSON text (taken here, before it opens).
   */
  private groupUpdateAhead(group: Group, changes: Partial<GroupFields>, origin?: AuditOrigin): PreviewedUpdate<Group> {
    const attributesText = JSON.stringify(group.attributes);
    return {
      ...this.groupUpdate(group, changes, origin),
      stillBefore: async (tx) => {
        const stored = await tx
          .createQueryBuilder(Group, 'g')
          .select(['g.name AS name', 'g.isSuperuser AS superuser', 'g.attributes AS attributes'])
          .where('g.groupUuid = :uuid', { uuid: group.groupUuid })
          .getRawOne<{ name: string; superuser: number | boolean; attributes: string }>();
        return (
          stored !== undefined &&
          stored.name === group.name &&
          Boolean(Number(stored.superuser)) === group.isSuperuser &&
          stored.attributes === attributesText
        );
      },
    };
  }

  /** The one way a group goes; memberships, edges, role grants and bindings go with it (CASCADE). */
  async remove(group: Group, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<void> {
    await m.delete(Group, { groupUuid: group.groupUuid });
    await this.audit.deleted(group, origin, m);
  }

  /** Who is in a group is a privilege change: recorded as `{"users": {"add": [pk]}}` (see RolesService). */
  async addMember(group: Group, user: User, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<void> {
    const membership = { groupUuid: group.groupUuid, userId: user.id };
    if (await m.count(GroupMember, { where: membership })) return;
    await m.insert(GroupMember, membership);
    await this.audit.relationChanged(group, 'users', 'add', [user.id], origin, m);
  }

  async removeMember(group: Group, user: User, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<void> {
    const result = await m.delete(GroupMember, { groupUuid: group.groupUuid, userId: user.id });
    if (!result.affected) return;
    await this.audit.relationChanged(group, 'users', 'remove', [user.id], origin, m);
  }

  /** Sets each given relation to exactly the given set, recording what was added and removed. */
  private async replaceRelations(
    group: Group,
    sets: Pick<GroupFields, 'userIds' | 'parentUuids' | 'roleUuids'>,
    m: EntityManager,
    origin?: AuditOrigin,
  ): Promise<void> {
    const id = group.groupUuid;
    const plans: [
      Relation,
      (string | number)[] | undefined,
      () => Promise<(string | number)[]>,
      (v: (string | number)[]) => object[],
      object,
    ][] = [
      [
        'users',
        sets.userIds,
        async () => (await m.find(GroupMember, { where: { groupUuid: id } })).map((r) => r.userId),
        (v) => v.map((userId) => ({ groupUuid: id, userId })),
        GroupMember,
      ],
      [
        'parents',
        sets.parentUuids,
        async () => (await m.find(GroupParent, { where: { childUuid: id } })).map((r) => r.parentUuid),
        (v) => v.map((parentUuid) => ({ childUuid: id, parentUuid })),
        GroupParent,
      ],
      [
        'roles',
        sets.roleUuids,
        async () => (await m.find(GroupRole, { where: { groupUuid: id } })).map((r) => r.roleUuid),
        (v) => v.map((roleUuid) => ({ groupUuid: id, roleUuid })),
        GroupRole,
      ],
    ];
    for (const [relation, wanted, current, rows, entity] of plans) {
      if (wanted === undefined) continue;
      const before = new Set(await current());
      const after = new Set(wanted);
      const added = [...after].filter((value) => !before.has(value));
      const removed = [...before].filter((value) => !after.has(value));
      if (removed.length) {
        const where =
          relation === 'users'
            ? { groupUuid: id, userId: In(removed) }
            : relation === 'parents'
              ? { childUuid: id, parentUuid: In(removed) }
              : { groupUuid: id, roleUuid: In(removed) };
        await m.delete(entity as typeof GroupMember, where);
        await this.audit.relationChanged(group, relation, 'remove', removed, origin, m);
      }
      if (added.length) {
        await m.insert(entity as typeof GroupMember, rows(added) as QueryDeepPartialEntity<GroupMember>[]);
        await this.audit.relationChanged(group, relation, 'add', added, origin, m);
      }
    }
  }

  private async findVisibleUser(principal: Principal, pk: number): Promise<User> {
    const user = hasPermission(principal, Permission.viewUser)
      ? await this.dataSource.getRepository(User).findOne({ where: { id: pk } })
      : null;
    // authentik raises a bare Http404 here, hence `Not found.`.
    if (!user) throw notFound();
    return user;
  }
}
