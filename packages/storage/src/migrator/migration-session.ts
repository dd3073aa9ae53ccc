// Everything the migrator does runs on one pinned connection holding the migration
// advisory lock, so several instances booting at once migrate exactly once and a
// verb's steps (adopt, migrate, stamp) see one consistent state. The lock is the
// session's: it needs PostgreSQL itself, never a transaction pooler (under one the
// lock and its unlock may land on two server sessions, and the lock outlives us).
import { sql, type Kysely } from 'kysely';
import { reachesThroughPooler } from '../database/pool-connections.js';
import { MigrationError, pgErrorCode } from './errors.js';

/** Kysely's own migration lock id (PostgresAdapter), so its Migrator re-enters our lock. */
const MIGRATION_LOCK_ID = '3853314791062309107';

export interface SessionOptions {
  /** How long DDL may wait for a table lock before failing (lock_timeout). */
  readonly lockTimeoutMs: number;
  /** How long to wait for another instance that is migrating right now. */
  readonly lockWaitMs: number;
}

export const defaultSessionOptions: SessionOptions = { lockTimeoutMs: 5_000, lockWaitMs: 120_000 };

export async function withMigrationSession<T>(
  db: Kysely<any>,
  options: SessionOptions,
  work: (conn: Kysely<any>) => Promise<T>,
): Promise<T> {
  if (await reachesThroughPooler(db)) {
    throw new MigrationError(
      'refused',
      'the migrator reaches PostgreSQL through a connection pooler (PgBouncer?), where its session lock does not ' +
        'hold: set DATABASE_MIGRATION_URL to PostgreSQL itself (the URL without the pooler)',
    );
  }
  return db.connection().execute(async (conn) => {
    try {
      // is_local: the longer wait applies to this one statement only.
      await sql`with wait as (select set_config('lock_timeout', ${String(options.lockWaitMs)}, true), \
set_config('statement_timeout', '0', true))
        select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_ID)}::bigint) from wait`.execute(conn);
    } catch (error) {
      throw await asLockTimeout(conn, error, 'waiting for another migration to finish');
    }
    try {
      // Index builds on large tables may take long: no statement timeout, but a bounded wait for locks.
      await sql`select set_config('lock_timeout', ${String(options.lockTimeoutMs)}, false), \
set_config('statement_timeout', '0', false)`.execute(conn);
      return await work(conn).catch(async (error: unknown) => {
        throw await asLockTimeout(conn, error, 'waiting for a table lock');
      });
    } finally {
      // A broken connection must not hide the error that broke it; the server
      // releases a dead session's advisory lock by itself.
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_ID)}::bigint)`
        .execute(conn)
        .then(() => sql`reset lock_timeout`.execute(conn))
        .then(() => sql`reset statement_timeout`.execute(conn))
        .catch(() => undefined);
    }
  });
}

/** Turns a lock_timeout failure into an error naming the sessions that hold the locks. */
async function asLockTimeout(conn: Kysely<any>, error: unknown, waitingFor: string): Promise<unknown> {
  if (pgErrorCode(error) !== '55P03') return error;
  const blockers = await sql<{
    pid: number;
    usename: string | null;
    application_name: string | null;
    state: string | null;
    query: string | null;
  }>`
    select a.pid, a.usename, a.application_name, a.state, left(a.query, 120) as query
    from pg_stat_activity a
    where a.pid <> pg_backend_pid()
      and a.pid in (
        -- pg_locks spans the cluster: only this database's locks can block this session.
        select l.pid from pg_locks l
        where l.granted
          and l.database = (select oid from pg_database where datname = current_database())
          and (l.locktype = 'advisory' or l.relation in (select oid from pg_class
            where relname in ('connector_profiles', 'client_configs', 'service_proposals', 'kysely_migration'))))
    order by a.pid`.execute(conn);
  const named = blockers.rows
    .map(
      (b) =>
        `pid ${b.pid} (user ${b.usename ?? '?'}, ${b.application_name || 'no application name'}, ` +
        `${b.state ?? '?'}: ${b.query ?? ''})`,
    )
    .join('; ');
  return new MigrationError(
    'lock-timeout',
    `timed out ${waitingFor}; blocked by ${named || 'a session that has since finished'}. ` +
      'Find it with pg_stat_activity and end it with pg_terminate_backend(pid) if it is safe to.',
    { cause: error },
  );
}
