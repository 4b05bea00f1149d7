import { EventCountsMysql1764200000000 } from './mysql/1764200000000-event-counts';
import { EventCountsByKeyMysql1764210000000 } from './mysql/1764210000000-event-counts-by-key';
import { InitialSchemaMysql1764180000000 } from './mysql/1764180000000-initial-schema';
import { EventRevisionsMysql1764190000000 } from './mysql/1764190000000-event-revisions';
import { LongTextColumnsMysql1764220000000 } from './mysql/1764220000000-long-text-columns';
import { GroupsAndPoliciesMysql1796620000000 } from './mysql/1796620000000-groups-and-policies';
import { RevisionRetentionMysql1796541509000 } from './mysql/1796541509000-revision-retention';
import { NotificationsMysql1796630000000 } from './mysql/1796630000000-notifications';
import { NotificationRulesMysql1796640000000 } from './mysql/1796640000000-notification-rules';
import { JobLeasesMysql1796650000000 } from './mysql/1796650000000-job-leases';
import { EventCountsFoldedMysql1796660000000 } from './mysql/1796660000000-event-counts-folded';
import { NotificationDeliveryMysql1796670000000 } from './mysql/1796670000000-notification-delivery';
import { EventCountsSqlite1764200000000 } from './sqlite/1764200000000-event-counts';
import { EventCountsByKeySqlite1764210000000 } from './sqlite/1764210000000-event-counts-by-key';
import { InitialSchemaSqlite1764180000000 } from './sqlite/1764180000000-initial-schema';
import { EventRevisionsSqlite1764190000000 } from './sqlite/1764190000000-event-revisions';
import { GroupsAndPoliciesSqlite1796620000000 } from './sqlite/1796620000000-groups-and-policies';
import { RevisionRetentionSqlite1796541509000 } from './sqlite/1796541509000-revision-retention';
import { NotificationsSqlite1796630000000 } from './sqlite/1796630000000-notifications';
import { NotificationRulesSqlite1796640000000 } from './sqlite/1796640000000-notification-rules';
import { JobLeasesSqlite1796650000000 } from './sqlite/1796650000000-job-leases';
import { EventCountsFoldedSqlite1796660000000 } from './sqlite/1796660000000-event-counts-folded';
import { NotificationDeliverySqlite1796670000000 } from './sqlite/1796670000000-notification-delivery';
import { SparseContextIndexesSqlite1796680000000 } from './sqlite/1796680000000-sparse-context-indexes';
import { StringProvingColumnsSqlite1796690000000 } from './sqlite/1796690000000-string-proving-columns';

/** Migrations per dialect, in order. Listed explicitly so the build and ts-jest agree. */
export const MYSQL_MIGRATIONS = [
  InitialSchemaMysql1764180000000,
  EventRevisionsMysql1764190000000,
  EventCountsMysql1764200000000,
  EventCountsByKeyMysql1764210000000,
  LongTextColumnsMysql1764220000000,
  RevisionRetentionMysql1796541509000,
  GroupsAndPoliciesMysql1796620000000,
  NotificationsMysql1796630000000,
  NotificationRulesMysql1796640000000,
  JobLeasesMysql1796650000000,
  EventCountsFoldedMysql1796660000000,
  NotificationDeliveryMysql1796670000000,
];
export const SQLITE_MIGRATIONS = [
  InitialSchemaSqlite1764180000000,
  EventRevisionsSqlite1764190000000,
  EventCountsSqlite1764200000000,
  EventCountsByKeySqlite1764210000000,
  RevisionRetentionSqlite1796541509000,
  GroupsAndPoliciesSqlite1796620000000,
  NotificationsSqlite1796630000000,
  NotificationRulesSqlite1796640000000,
  JobLeasesSqlite1796650000000,
  EventCountsFoldedSqlite1796660000000,
  NotificationDeliverySqlite1796670000000,
  SparseContextIndexesSqlite1796680000000,
  StringProvingColumnsSqlite1796690000000,
];
