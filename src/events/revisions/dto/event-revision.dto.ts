import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { EVENT_STATE_FIELDS, REVISION_KINDS } from '../revision.types';
import type { EventRevision, RevisionKind } from '../revision.types';

const STATE_DESCRIPTION =
  'Field → value, for the fields listed in `fields`; timestamps (`created`, `expires`) as integer microseconds since the epoch.';

/**
 * One change of an event (docs/api-contract.md §7). Every key but `prev_hash` and `hash` is hashed:
 * `hash = sha256_hex(canonical_json(those keys) + prev_hash)`, canonical JSON per RFC 8785
 * (README, "Verifying the audit chain").
 */
@ApiSchema({ name: 'EventRevision', description: 'One change of an event, chained to the one before by its hash' })
export class EventRevisionDto implements EventRevision {
  @ApiProperty({ type: 'string', pattern: '^[0-9a-f]{32}$', description: "The event's UUID as 32 lower-case hex digits" })
  event: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: '1 for the creation, then consecutive' })
  seq: number;

  @ApiProperty({ enum: REVISION_KINDS, enumName: 'EventRevisionKind' })
  kind: RevisionKind;

  @ApiProperty({
    type: 'object',
    additionalProperties: {},
    description: 'Who made the change: `{"pk", "username", "email"}`, or `{}` for the system',
  })
  actor: Record<string, unknown>;

  @ApiProperty({ type: 'integer', format: 'int64', description: 'When, in microseconds since the epoch' })
  recorded: number;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...EVENT_STATE_FIELDS] }, description: 'The fields written' })
  fields: EventRevision['fields'];

  @ApiProperty({
    type: 'object',
    additionalProperties: {},
    nullable: true,
    description: `Before the change (null for a creation). ${STATE_DESCRIPTION}`,
  })
  before: EventRevision['before'];

  @ApiProperty({
    type: 'object',
    additionalProperties: {},
    nullable: true,
    description: `After the change (null for a deletion). ${STATE_DESCRIPTION}`,
  })
  after: EventRevision['after'];

  @ApiProperty({ type: 'string', pattern: '^[0-9a-f]{64}$', description: "The previous revision's hash; 64 zeros for the first" })
  prev_hash: string;

  @ApiProperty({ type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 (hex) of the canonical content followed by prev_hash' })
  hash: string;
}

@ApiSchema({ name: 'EventChainBrokenLink', description: "A problem found in one event's chain" })
export class BrokenLinkDto {
  @ApiProperty({ type: 'string', format: 'uuid' }) event: string;
  @ApiProperty({ type: 'integer', description: 'The revision concerned; 0 when the event has none' }) seq: number;
  @ApiProperty({ type: 'string' }) reason: string;
}

@ApiSchema({ name: 'EventChainReport', description: "The result of checking every event's revision chain" })
export class EventChainReportDto {
  @ApiProperty({ type: 'integer', description: 'Revisions checked' }) checked: number;
  @ApiProperty({ type: () => BrokenLinkDto, isArray: true }) broken: BrokenLinkDto[];
}
