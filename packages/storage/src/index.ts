// @analytics-engine/storage: the database factory, the document schemas, one
// repository per table and the migrator. It knows nothing of HTTP.
export {
  ConfigError,
  databaseConfigFromEnv,
  databaseConfigOf,
  databaseEnvShape,
  parseEnv,
  redactDatabaseUrl,
  withoutEmptyValues,
  type DatabaseConfig,
  type DatabaseEnv,
} from './database/config.js';
export {
  openDatabase,
  type OpenDatabase,
  type DatabaseMode,
  type OpenDatabaseOptions,
} from './database/open-database.js';
export type * from './database/tables.js';
export { databaseUnavailability, isDatabaseUnavailable, type Unavailability } from './database/unavailable.js';
export * from './errors.js';

export * from './schemas/common.js';
export * from './schemas/connector-profile.js';
export * from './schemas/client-config.js';
export * from './schemas/service-proposal.js';

export {
  createDocumentRepository,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type CreateOptions,
  type DocumentRepository,
  type ListQuery,
  type Page,
  type StoredDocument,
  type WriteOptions,
} from './repositories/document-repository.js';
export { applyMergePatch, type JsonObject } from './repositories/json-merge-patch.js';
export { addRuleIssue, documentIssues, findUnstorableText } from './repositories/validate-document.js';
export * from './repositories/connector-profiles.js';
export * from './repositories/client-configs.js';
export * from './repositories/service-proposals.js';
export {
  createIdempotencyKeys,
  type Claim,
  type ClaimTimes,
  type IdempotencyKeys,
  type StoredAnswer,
} from './idempotency/idempotency-keys.js';

export {
  downgrade,
  HEAD,
  migrateOnBoot,
  migrationDatabaseConfig,
  migrationNames,
  migrationStatus,
  schemaReadiness,
  sealSecrets,
  stamp,
  upgrade,
  type MigrationStatus,
  type RunOptions,
  type RunResult,
  type SealResult,
} from './migrator/migrator.js';
export { KNOWN_ALEMBIC_REVISIONS } from './migrator/adopt-alembic.js';
export { type TableTally } from './migrator/row-pass.js';
export { sealerFor, type Sealer } from './migrator/sealing-keys.js';
export { currentShape, readShape, type CurrentShape } from './legacy/current-shape.js';
export { verify, type VerifyReport } from './migrator/verify.js';
export { MigrationError, type MigrationErrorKind } from './migrator/errors.js';

export * from './secrets/encryption-keys.js';
export { loadKeyFile, type KeyFile } from './secrets/key-file.js';
export * from './secrets/secret-box.js';
export { redactConnectionString, secretView } from './secrets/connection-string-redaction.js';
export * from './secrets/plaintext-secrets.js';

export {
  appendChanges,
  changeParameters,
  type AuditEntry,
  type ChangeRows,
  type OutboxEvent,
} from './changes/change-records.js';
export {
  deletePublishedEvents,
  nextEventBatch,
  outboxBacklog,
  type EventBatch,
  type OutboxBacklog,
  type PendingEvent,
} from './changes/outbox.js';
export { listAudit, type AuditPage, type AuditQuery, type AuditRecord } from './changes/audit-log.js';
export type { ReadReplicas } from './replicas/read-replicas.js';
export type { ReplicaStatus } from './replicas/replica-set.js';
