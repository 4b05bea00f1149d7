import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AS_MODEL_REF, microsColumn, ModelEntity, ModelRef, Uuid } from '@app/common';

/**
 * An event-matcher policy (`authentik_policies_event_matcher.eventmatcherpolicy`): passes an
 * event when every criterion that is set matches it. The only policy type eventlog has, so the
 * policy's name is unique in this table (authentik: unique across all policy types).
 */
@Entity('event_matcher_policies')
export class EventMatcherPolicy implements ModelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  policyUuid: string;

  @Column({ type: 'varchar', length: 255, unique: true })
  name: string;

  @Column({ type: 'boolean', default: false })
  executionLogging: boolean;

  @Column(microsColumn())
  created: number;

  @Column(microsColumn())
  lastUpdated: number;

  @Column({ type: 'varchar', length: 100, nullable: true })
  action: string | null;

  @Column({ type: 'text', nullable: true })
  clientIp: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  app: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  model: string | null;

  /** An events search-language expression, evaluated against the one event. */
  @Column({ type: 'text', nullable: true })
  query: string | null;

  [AS_MODEL_REF](): ModelRef {
    return { app: 'authentik_policies_event_matcher', model_name: 'eventmatcherpolicy', pk: new Uuid(this.policyUuid), name: this.name };
  }
}
