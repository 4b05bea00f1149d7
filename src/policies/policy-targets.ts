import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PolicyBindingModel } from './entities/policy-binding-model.entity';

/**
 * The registry of what bindings can target (authentik's `PolicyBindingModel`). A module whose
 * objects take bindings (notification rules) calls `register` in the transaction that creates
 * such an object, with the object's own uuid, and `unregister` when it deletes it; the object's
 * bindings then go with it. Bindings name targets only through this table, so the policies
 * module needs to know nothing of rules.
 */
@Injectable()
export class PolicyTargets {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async register(pbmUuid: string, kind: string, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.insert(PolicyBindingModel, { pbmUuid, kind });
  }

  async unregister(pbmUuid: string, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.delete(PolicyBindingModel, { pbmUuid });
  }
}
