// The Alembic-style verbs over Kysely's Migrator: status, upgrade, downgrade and
// stamp, with dry runs, a --yes guard on data loss, bounded lock waits and
// adoption of a database the Python service's Alembic history created.
import { migrations } from '@analytics-engine/migrations';
import { Migrator, NO_MIGRATIONS, sql, type Kysely, type MigrationResultSet, type MigrationProvider } from 'kysely';
import {
  adoptAlembicDatabase,
  alembicRevision,
  completeAdoptedTables,
  isKnownRevision,
  unknownRevisionLine,
} from './adopt-alembic.js';
import { recordStatements } from './dry-run.js';
import { MigrationError, pgErrorCode } from './errors.js';
import { defaultSessionOptions, withMigrationSession, type SessionOptions } from './migration-session.js';
import { passOverRows, type TableTally } from './row-pass.js';
import { noSealer, sealerFor, type Sealer } from './sealing-keys.js';
import type { DatabaseConfig } from '../database/config.js';
import { openDatabase, type OpenDatabase } from '../database/open-database.js';

export const migrationNames = Object.keys(migrations).sort();
export const HEAD = migrationNames.at(-1) ?? '';

export interface MigrationInfo {
  readonly name: string;
  readonly description: string;
  readonly appliedAt: Date | undefined;
}

export interface MigrationStatus {
  readonly migrations: MigrationInfo[];
  /** The last applied migration, or undefined at base. */
  readonly current: string | undefined;
  readonly pending: string[];
  /** An alembic_version revision found in the database (adopted on the next upgrade if nothing is recorded yet). */
  readonly alembicRevision: string | undefined;
}

export interface RunOptions extends Partial<SessionOptions> {
  /** Print instead of run: the statements that would execute. */
  readonly dryRun?: boolean;
  /** Downgrade only: allow steps that drop tables. */
  readonly yes?: boolean;
  /** Progress lines ("adopting...", "applied ..."). */
  readonly log?: (line: string) => void;
  /** The Connector's key, for the plaintext secrets adoption seals (sealerFor(config)); none: they stop the run. */
  readonly sealWith?: Sealer;
  /** Rows per transaction when adoption maps and seals them (default 1000). */
  readonly batchSize?: number;
}

export interface RunResult {
  /** Migrations run (or that would run, in a dry run), in order. */
  readonly steps: string[];
  readonly direction: 'up' | 'down' | 'none';
  /** Dry run only: the SQL, statement by statement. */
  readonly statements?: string[];
  readonly adopted?: boolean;
}

export interface SealResult {
  readonly tally: TableTally;
  readonly dryRun: boolean;
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...migrations }) };
const noOpProvider: MigrationProvider = {
  getMigrations: () =>
    Promise.resolve(
      Object.fromEntries(migrationNames.map((name) => [name, { up: async () => {}, down: async () => {} }])),
    ),
};

/** Read-only: creates nothing, takes no lock. */
export async function migrationStatus(db: Kysely<any>): Promise<MigrationStatus> {
  const infos = await new Migrator({ db, provider }).getMigrations();
  const list = infos.map((m) => ({
    name: m.name,
    description: migrations[m.name]?.description ?? '',
    appliedAt: m.executedAt,
  }));
  return {
    migrations: list,
    current: list.filter((m) => m.appliedAt).at(-1)?.name,
    pending: list.filter((m) => !m.appliedAt).map((m) => m.name),
    alembicRevision: await alembicRevision(db),
  };
}

/** Upgrade to `target`: head (default), +N, or a migration name (or unique prefix of one). */
export async function upgrade(db: Kysely<any>, target = 'head', options: RunOptions = {}): Promise<RunResult> {
  const status = await migrationStatus(db);
  const applied = appliedCount(status);
  const to = resolveUpgradeTarget(target, applied);
  const steps = migrationNames.slice(applied, to);
  if (options.dryRun) {
    // Adoption records the first migration instead of running it.
    const revision =
      status.current === undefined && steps[0] === migrationNames[0] ? status.alembicRevision : undefined;
    const run = revision === undefined ? steps : steps.slice(1);
    const rows = revision === undefined ? [] : await adoptionPreview(db, revision, options);
    return {
      steps: run,
      direction: run.length ? 'up' : 'none',
      statements: await upgradeSql(run, revision, rows),
    };
  }
  // At head already (migrations only move on under the lock): nothing to lock for. So instances
  // behind a transaction pooler without DATABASE_MIGRATION_URL boot once the schema is at head.
  if (steps.length === 0) return { steps: [], direction: 'none', adopted: false };
  return withMigrationSession(db, sessionOptions(options), async (conn) => {
    const adopted = await adoptAlembicDatabase(conn, { ...options, sealWith: options.sealWith ?? noSealer });
    if (adopted) await recordAs(conn, migrationNames[0] ?? '');
    const targetName = migrationNames[to - 1];
    const result = await new Migrator({ db: conn, provider }).migrateTo(targetName ?? NO_MIGRATIONS);
    const ran = successful(result);
    ran.forEach((name) => options.log?.(`Running upgrade ${previous(name)} -> ${name}, ${describe(name)}`));
    throwIfFailed(result);
    return { steps: ran, direction: ran.length ? 'up' : 'none', adopted };
  });
}

/**
 * Tables whose rows are no one's data: idempotency records expire within a day
 * anyway, so dropping them needs no --yes (a retry in flight may just run again).
 */
const DISPOSABLE_TABLES = new Set(['idempotency_keys']);

/** Downgrade to `target`: -N, base, or a migration name (kept applied). */
export async function downgrade(db: Kysely<any>, target: string, options: RunOptions = {}): Promise<RunResult> {
  const status = await migrationStatus(db);
  const applied = appliedCount(status);
  const to = resolveDowngradeTarget(target, applied);
  const steps = migrationNames.slice(to, applied).reverse();
  const statements = await downgradeSql(steps);
  if (options.dryRun) return { steps, direction: steps.length ? 'down' : 'none', statements };

  const dropped = statements
    .flatMap((s) => /^DROP TABLE (\w+)/i.exec(s)?.[1] ?? [])
    .filter((table) => !DISPOSABLE_TABLES.has(table));
  if (dropped.length > 0 && !options.yes) {
    const counts = await rowCounts(db, dropped);
    throw new MigrationError(
      'refused',
      `downgrade to ${target} drops ${dropped.map((t) => `${t} (${counts[t] ?? 0} rows)`).join(', ')} ` +
        'and deletes all their data. Back up first (pg_dump), then run again with --yes.',
    );
  }
  return withMigrationSession(db, sessionOptions(options), async (conn) => {
    const result = await new Migrator({ db: conn, provider }).migrateTo(migrationNames[to - 1] ?? NO_MIGRATIONS);
    const ran = successful(result);
    ran.forEach((name) => options.log?.(`Running downgrade ${name} -> ${previous(name)}, ${describe(name)}`));
    throwIfFailed(result);
    return { steps: ran, direction: ran.length ? 'down' : 'none' };
  });
}

/**
 * `pnpm migrate seal-secrets`: the profiles that hold a secret in plaintext
 * (rows other writers, a Python Connector still running say, added since the
 * adoption) sealed with the Connector's key, and stored in the current shape.
 * A dry run counts them and needs no key.
 */
export async function sealSecrets(db: Kysely<any>, options: RunOptions = {}): Promise<SealResult> {
  const pass = {
    plaintextOnly: true,
    sealWith: options.sealWith ?? noSealer,
    batchSize: options.batchSize,
    log: options.log,
  };
  if (options.dryRun) {
    const [tally] = await passOverRows(db, { ...pass, dryRun: true });
    return { tally: tally ?? emptyTally, dryRun: true };
  }
  return withMigrationSession(db, sessionOptions(options), async (conn) => {
    const [tally] = await passOverRows(conn, pass);
    return { tally: tally ?? emptyTally, dryRun: false };
  });
}

const emptyTally: TableTally = { table: 'connector_profiles', rows: 0, mapped: 0, sealed: 0, incomplete: 0 };

/** Record migrations as applied (or not) up to `target` without running them. */
export async function stamp(db: Kysely<any>, target = 'head', options: RunOptions = {}): Promise<RunResult> {
  const to = target === 'base' ? 0 : resolveName(target) + 1;
  return withMigrationSession(db, sessionOptions(options), async (conn) => {
    const result = await new Migrator({ db: conn, provider: noOpProvider }).migrateTo(
      migrationNames[to - 1] ?? NO_MIGRATIONS,
    );
    throwIfFailed(result);
    const ran = successful(result);
    const direction = result.results?.[0]?.direction === 'Down' ? 'down' : ran.length ? 'up' : 'none';
    ran.forEach((name) => options.log?.(`stamped ${name} as ${direction === 'down' ? 'not applied' : 'applied'}`));
    return { steps: ran, direction };
  });
}

async function recordAs(conn: Kysely<any>, name: string): Promise<void> {
  const result = await new Migrator({ db: conn, provider: noOpProvider }).migrateTo(name);
  throwIfFailed(result);
}

/** A dry run's account of what adoption would do to the rows, as SQL comments: read-only, and no key needed. */
async function adoptionPreview(db: Kysely<any>, revision: string, options: RunOptions): Promise<string[]> {
  const lines: string[] = isKnownRevision(revision) ? [] : [unknownRevisionLine(revision)];
  await passOverRows(db, {
    dryRun: true,
    sealWith: noSealer,
    batchSize: options.batchSize,
    log: (line) => lines.push(line),
  });
  return lines.map((line) => `-- ${line}`);
}

async function upgradeSql(steps: string[], revision: string | undefined, rowLines: string[]): Promise<string[]> {
  const record = (name: string, db: Kysely<any>) =>
    sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${name}, ${'<now>'})`.execute(db);
  const adopt = revision
    ? [
        `-- alembic_version is at ${revision}: the existing tables are checked, completed and recorded, not created; ` +
          'their rows are mapped to the current shape and their plaintext secrets sealed, in batches',
        ...rowLines,
        'BEGIN',
        ...(await recordStatements(async (db) => {
          await completeAdoptedTables(db);
          await record(migrationNames[0] ?? '', db);
        })),
        'COMMIT',
      ]
    : [];
  const body = await recordStatements(async (db) => {
    for (const name of steps) {
      await migrations[name]?.up(db);
      await record(name, db);
    }
  });
  return [...adopt, ...(steps.length ? ['BEGIN', ...body, 'COMMIT'] : [])];
}

async function downgradeSql(steps: string[]): Promise<string[]> {
  const body = await recordStatements(async (db) => {
    for (const name of steps) {
      await migrations[name]?.down?.(db);
      await sql`DELETE FROM kysely_migration WHERE name = ${name}`.execute(db);
    }
  });
  return steps.length ? ['BEGIN', ...body, 'COMMIT'] : [];
}

async function rowCounts(db: Kysely<any>, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    counts[table] = Number(row.rows[0]?.n ?? 0);
  }
  return counts;
}

function appliedCount(status: MigrationStatus): number {
  const applied = status.migrations.filter((m) => m.appliedAt).length;
  if (status.migrations.slice(0, applied).some((m) => !m.appliedAt)) {
    throw new MigrationError(
      'drift',
      'the recorded migrations have a gap: run `migrate history` and stamp the database',
    );
  }
  return applied;
}

/** Position (number of applied migrations) after upgrading to `target`. */
function resolveUpgradeTarget(target: string, applied: number): number {
  if (target === 'head') return migrationNames.length;
  const relative = /^\+(\d+)$/.exec(target);
  const to = relative ? applied + Number(relative[1]) : resolveName(target) + 1;
  if (to > migrationNames.length) {
    throw new MigrationError(
      'refused',
      `cannot upgrade ${target}: only ${migrationNames.length - applied} migration(s) are pending`,
    );
  }
  if (to < applied) throw new MigrationError('refused', `${target} is behind the current revision: use downgrade`);
  return to;
}

/** Position (number of applied migrations) after downgrading to `target`. */
function resolveDowngradeTarget(target: string, applied: number): number {
  if (target === 'base') return 0;
  const relative = /^-(\d+)$/.exec(target);
  const to = relative ? applied - Number(relative[1]) : resolveName(target) + 1;
  if (to < 0)
    throw new MigrationError('refused', `cannot downgrade ${target}: only ${applied} migration(s) are applied`);
  if (to > applied) throw new MigrationError('refused', `${target} is ahead of the current revision: use upgrade`);
  return to;
}

/** Index of a migration by full name or unique prefix (e.g. the Alembic id 20251221_062048). */
function resolveName(target: string): number {
  if (target === 'head') return migrationNames.length - 1;
  const matches = migrationNames.filter((name) => name === target || name.startsWith(target));
  const [match] = matches;
  if (matches.length !== 1 || match === undefined) {
    throw new MigrationError(
      'refused',
      `${matches.length ? 'ambiguous' : 'unknown'} revision '${target}'; ` +
        `known: head, base, ${migrationNames.join(', ')}`,
    );
  }
  return migrationNames.indexOf(match);
}

const previous = (name: string) => migrationNames[migrationNames.indexOf(name) - 1] ?? '<base>';
const describe = (name: string) => migrations[name]?.description ?? '';

function sessionOptions(options: RunOptions): SessionOptions {
  return {
    lockTimeoutMs: options.lockTimeoutMs ?? defaultSessionOptions.lockTimeoutMs,
    lockWaitMs: options.lockWaitMs ?? defaultSessionOptions.lockWaitMs,
  };
}

function successful(result: MigrationResultSet): string[] {
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function throwIfFailed(result: MigrationResultSet): void {
  if (!result.error) return;
  const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
  const error = result.error as Error;
  if (error instanceof MigrationError) throw error;
  const code = pgErrorCode(error);
  const where = failed ? `migration ${failed} failed` : 'migration failed';
  if (code === '42501') {
    throw new MigrationError(
      'permission',
      `${where}: ${error.message}. Grant it as a superuser, e.g. GRANT CREATE ON SCHEMA public TO <user>;`,
      { cause: error },
    );
  }
  if (code === '42P07') {
    throw new MigrationError(
      'drift',
      `${where}: ${error.message}. What it creates exists already but is not recorded: if it matches, ` +
        `run \`pnpm migrate stamp ${failed?.slice(0, 15) ?? '<name>'}\` (then \`pnpm migrate verify\`).`,
      { cause: error },
    );
  }
  if (code === '55P03') throw error; // named by the session wrapper
  throw new MigrationError('failed', `${where}: ${error.message}`, { cause: error });
}

/**
 * What a service runs at boot. On PostgreSQL the migrations get a connection of
 * their own, free of the pool's statement and query timeouts (an index build on
 * a large table may take minutes); the embedded database has a single session.
 */
export async function migrateOnBoot(
  database: OpenDatabase,
  config: DatabaseConfig,
  log?: (line: string) => void,
): Promise<RunResult> {
  const sealWith = sealerFor(config, log);
  if (database.mode === 'embedded') return upgrade(database.db, 'head', { log, sealWith });
  const dedicated = await openDatabase(migrationDatabaseConfig(config));
  try {
    return await upgrade(dedicated.db, 'head', { log, sealWith });
  } finally {
    await dedicated.close();
  }
}

/**
 * The settings for a migration connection: DATABASE_MIGRATION_URL (else DATABASE_URL),
 * no statement or client query timeout, and never a replica.
 */
export function migrationDatabaseConfig(config: DatabaseConfig): DatabaseConfig {
  return {
    ...config,
    databaseUrl: config.migrationUrl ?? config.databaseUrl,
    statementTimeoutMs: 0,
    poolMax: 2,
    readUrls: [],
  };
}

/** For readiness probes: the database answers, and what is applied and pending. */
export async function schemaReadiness(db: Kysely<any>): Promise<{ current: string | undefined; pending: string[] }> {
  await sql`select 1`.execute(db);
  const { current, pending } = await migrationStatus(db);
  return { current, pending };
}
