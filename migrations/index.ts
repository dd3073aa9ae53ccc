// Every migration, by name. Kysely applies them in name order; a new migration is
// a new date-prefixed file plus one line here.
import type { Migration } from 'kysely';
import * as addPersistentStorageTables from './20251221_062048_add_persistent_storage_tables.js';
import * as addJsonbGinIndexes from './20251221_120000_add_jsonb_gin_indexes.js';
import * as addIdempotencyKeys from './20261202_090000_add_idempotency_keys.js';
import * as addEventOutboxAndAuditLog from './20261204_120000_add_event_outbox_and_audit_log.js';
import * as addProposalStatusIndex from './20261204_180000_add_proposal_status_index.js';
import * as indexOutboxByTransaction from './20261207_090000_index_outbox_by_transaction.js';
import * as storeOutboxEventsByService from './20261207_150000_store_outbox_events_by_service.js';

export interface DescribedMigration extends Migration {
  /** One line for `migrate history`, like an Alembic revision message. */
  readonly description: string;
}

export const migrations: Readonly<Record<string, DescribedMigration>> = {
  '20251221_062048_add_persistent_storage_tables': addPersistentStorageTables,
  '20251221_120000_add_jsonb_gin_indexes': addJsonbGinIndexes,
  '20261202_090000_add_idempotency_keys': addIdempotencyKeys,
  '20261204_120000_add_event_outbox_and_audit_log': addEventOutboxAndAuditLog,
  '20261204_180000_add_proposal_status_index': addProposalStatusIndex,
  '20261207_090000_index_outbox_by_transaction': indexOutboxByTransaction,
  '20261207_150000_store_outbox_events_by_service': storeOutboxEventsByService,
};

/** The revision the Python service's Alembic history ends at; adoption starts from it. */
export const ALEMBIC_REVISION = '20251221_062048';
export {
  comments as persistentStorageComments,
  addComments as addPersistentStorageComments,
} from './20251221_062048_add_persistent_storage_tables.js';
