import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { downgrade, MigrationError, migrationStatus, stamp, upgrade, verify, type OpenDatabase } from '../src/index.js';
import { runMigrateCli } from './support/run-cli.js';
import { adminQuery, createTestDatabase, type TestDatabase } from './support/test-database.js';

const FIRST = '20251221_062048_add_persistent_storage_tables';
const GIN = '20251221_120000_add_jsonb_gin_indexes';
const IDEMPOTENCY = '20261202_090000_add_idempotency_keys';
const CHANGES = '20261204_120000_add_event_outbox_and_audit_log';
const STATUS_INDEX = '20261204_180000_add_proposal_status_index';
const OUTBOX_BTREE = '20261207_090000_index_outbox_by_transaction';
const OUTBOX_BY_SERVICE = '20261207_150000_store_outbox_events_by_service';
/** Every migration, in order. */
const ALL = [FIRST, GIN, IDEMPOTENCY, CHANGES, STATUS_INDEX, OUTBOX_BTREE, OUTBOX_BY_SERVICE];
/** Every migration after the one the Python service's Alembic history ends at. */
const AFTER_FIRST = ALL.slice(1);

const opened: OpenDatabase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
});

async function emptyDatabase(): Promise<{ test: TestDatabase; db: Kysely<any> }> {
  const test = await createTestDatabase({ migrated: false });
  const database = await test.open();
  opened.push(database);
  return { test, db: database.db };
}

const tableExists = async (db: Kysely<any>, name: string) =>
  (await sql<{ present: boolean }>`select to_regclass(${name}) is not null as present`.execute(db)).rows[0]?.present;

/** verify finds no difference and counts these rows (none where not named) in the six tables. */
async function expectVerified(db: Kysely<any>, rows: Record<string, number> = {}) {
  const report = await verify(db);
  expect(report.differences).toEqual([]);
  expect(report.rowCounts).toEqual({
    connector_profiles: 0,
    client_configs: 0,
    service_proposals: 0,
    idempotency_keys: 0,
    event_outbox: 0,
    event_relay_progress: 0,
    audit_log: 0,
    ...rows,
  });
  return report;
}

/** The guide's DDL, as the Python service's Alembic migration ran it: no comments. */
async function createGuideTables(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE connector_profiles (id VARCHAR(255) PRIMARY KEY, profile_data JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(), updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW())`.execute(db);
  await sql`CREATE INDEX ix_connector_profiles_created_at ON connector_profiles(created_at)`.execute(db);
  await sql`CREATE TABLE client_configs (client_id VARCHAR(255) PRIMARY KEY, config_data JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(), updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW())`.execute(db);
  await sql`CREATE INDEX ix_client_configs_created_at ON client_configs(created_at)`.execute(db);
  await sql`CREATE TABLE service_proposals (proposal_id VARCHAR(255) PRIMARY KEY, proposal_data JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW())`.execute(db);
  await sql`CREATE INDEX ix_service_proposals_created_at ON service_proposals(created_at)`.execute(db);
}

describe('upgrade', () => {
  it('creates exactly the guide structure, with comments and indexes', async () => {
    const { db } = await emptyDatabase();
    expect((await upgrade(db)).steps).toEqual(ALL);

    // A second witness, independent of the verify code: information_schema as psql \d shows it.
    const columns = await sql<Record<string, string>>`
      select table_name, column_name, data_type, character_maximum_length::text as len, is_nullable, column_default
      from information_schema.columns where table_schema = 'public' and table_name in ('connector_profiles', \
'client_configs', 'service_proposals')
      order by table_name, ordinal_position`.execute(db);
    expect(columns.rows.map((c) => Object.values(c).join(' '))).toEqual([
      'client_configs client_id character varying 255 NO ',
      'client_configs config_data jsonb  NO ',
      'client_configs created_at timestamp with time zone  YES now()',
      'client_configs updated_at timestamp with time zone  YES now()',
      'connector_profiles id character varying 255 NO ',
      'connector_profiles profile_data jsonb  NO ',
      'connector_profiles created_at timestamp with time zone  YES now()',
      'connector_profiles updated_at timestamp with time zone  YES now()',
      'service_proposals proposal_id character varying 255 NO ',
      'service_proposals proposal_data jsonb  NO ',
      'service_proposals created_at timestamp with time zone  YES now()',
    ]);
    const indexes = await sql<{
      indexname: string;
    }>`select indexname from pg_indexes where schemaname = 'public' and indexname not like 'kysely%' \
and tablename not in \
('idempotency_keys', 'event_outbox', 'event_relay_progress', 'audit_log') order by 1`.execute(db);
    expect(indexes.rows.map((r) => r.indexname)).toEqual([
      'client_configs_pkey',
      'connector_profiles_pkey',
      'idx_client_configs_data',
      'idx_connector_profiles_data',
      'idx_service_proposals_data',
      'ix_client_configs_created_at',
      'ix_connector_profiles_created_at',
      'ix_service_proposals_created_at',
      'ix_service_proposals_status_created_at',
      'service_proposals_pkey',
    ]);
    const comment = await sql<{ c: string }>`select col_description('connector_profiles'::regclass, 2) as c`.execute(
      db,
    );
    expect(comment.rows[0]?.c).toContain('encrypted');

    const report = await expectVerified(db);
    expect(report.checks.filter((c) => c.subject.includes('round trip'))).toHaveLength(3);
    expect(report.checks.filter((c) => c.subject.startsWith('column idempotency_keys.'))).toHaveLength(7);
    expect(report.checks.filter((c) => c.subject.startsWith('column event_outbox.'))).toHaveLength(8);
    expect(report.checks.filter((c) => c.subject.startsWith('column event_relay_progress.'))).toHaveLength(4);
    expect(report.checks.filter((c) => c.subject.startsWith('column audit_log.'))).toHaveLength(9);
  });

  it('keeps a waiting event as the outbox stores events as published, and back', async () => {
    const { db } = await emptyDatabase();
    await upgrade(db, OUTBOX_BTREE);
    expect((await verify(db)).differences).toEqual([`migrations at head: pending: ${OUTBOX_BY_SERVICE}`]);
    await sql`insert into event_outbox (id, service, type, aggregate_id, event)
              values (gen_random_uuid(), 'connector', 'connection.created', 'warehouse',
                      '{"type": "connection.created", "connection_id": "warehouse"}')`.execute(db);
    const before = await sql<{ txid: string }>`select txid::text as txid from event_outbox`.execute(db);

    expect((await upgrade(db)).steps).toEqual([OUTBOX_BY_SERVICE]);
    await expectVerified(db, { event_outbox: 1 });
    const stored = await sql<{ txid: string; event: string; visible: boolean }>`
      select txid::text as txid, event::text as event,
             pg_visible_in_snapshot(txid::text::xid8, pg_current_snapshot()) as visible
      from event_outbox`.execute(db);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]?.txid).toBe(before.rows[0]?.txid);
    expect(stored.rows[0]?.visible).toBe(true);
    expect(JSON.parse(stored.rows[0]?.event ?? '')).toEqual({ type: 'connection.created', connection_id: 'warehouse' });
    // An instance of the earlier version, still running in a rolling upgrade, writes its events as JSONB.
    await sql`insert into event_outbox (id, service, type, aggregate_id, event)
              select gen_random_uuid(), 'connector', 'connection.deleted', 'warehouse', e.event
              from jsonb_to_recordset('[{"event": {"connection_id": "warehouse"}}]'::jsonb) as e(event jsonb)`.execute(
      db,
    );

    expect((await downgrade(db, '-1')).steps).toEqual([OUTBOX_BY_SERVICE]);
    const back = await sql<{ type: string; member: string }>`
      select type, event ->> 'connection_id' as member from event_outbox order by position`.execute(db);
    expect(back.rows).toEqual([
      { type: 'connection.created', member: 'warehouse' },
      { type: 'connection.deleted', member: 'warehouse' },
    ]);
    expect((await verify(db)).differences).toEqual([`migrations at head: pending: ${OUTBOX_BY_SERVICE}`]);
  });

  it('runs +N and named targets, and refuses targets that do not fit', async () => {
    const { db } = await emptyDatabase();
    expect((await upgrade(db, '+1')).steps).toEqual([FIRST]);
    expect((await migrationStatus(db)).current).toBe(FIRST);
    await expect(upgrade(db, '+7')).rejects.toMatchObject({ kind: 'refused' });
    await expect(upgrade(db, 'nonsense')).rejects.toThrow(/unknown revision 'nonsense'/);
    expect((await upgrade(db, '20251221_12')).steps).toEqual([GIN]);
    expect((await upgrade(db, 'head')).steps).toEqual(ALL.slice(2));
    expect((await upgrade(db, 'head')).direction).toBe('none');
    await expect(upgrade(db, FIRST)).rejects.toThrow(/use downgrade/);
  });

  it('prints the SQL on a dry run and changes nothing', async () => {
    const { db } = await emptyDatabase();
    const result = await upgrade(db, 'head', { dryRun: true });
    expect(result.statements).toContain(
      'CREATE INDEX ix_connector_profiles_created_at ON connector_profiles(created_at)',
    );
    expect(result.statements?.join('\n')).toMatch(/CREATE TABLE service_proposals/);
    expect(await tableExists(db, 'connector_profiles')).toBe(false);
    expect(await tableExists(db, 'kysely_migration')).toBe(false);
  });

  it('answers current and history without creating anything', async () => {
    const { test, db } = await emptyDatabase();
    const current = await runMigrateCli(['current'], { DATABASE_URL: test.url });
    expect(current).toMatchObject({ code: 0 });
    expect(current.stdout).toContain('No migration applied (base).');
    const history = await runMigrateCli(['history'], { DATABASE_URL: test.url });
    expect(history.stdout).toContain(`<base> -> ${FIRST}, add persistent storage tables [pending]`);
    expect(history.stdout).toContain(`${FIRST} -> ${GIN}, add jsonb gin indexes [pending]`);
    expect(history.stdout).toContain(`${GIN} -> ${IDEMPOTENCY}, add idempotency keys [pending]`);
    expect(history.stdout).toContain(`${IDEMPOTENCY} -> ${CHANGES}`);
    expect(history.stdout).toContain(`${OUTBOX_BTREE} -> ${OUTBOX_BY_SERVICE} (head)`);
    expect(await tableExists(db, 'kysely_migration')).toBe(false);
    expect(await tableExists(db, 'kysely_migration_lock')).toBe(false);
  });

  it('migrates exactly once when two processes upgrade at the same moment', async () => {
    const { test, db } = await emptyDatabase();
    const results = await Promise.all([1, 2].map(() => runMigrateCli(['upgrade', 'head'], { DATABASE_URL: test.url })));
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const ran = results.map((r) => (r.stdout.match(/Running upgrade/g) ?? []).length).sort();
    expect(ran).toEqual([0, 7]);
    const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(recorded.rows.map((r) => r.name)).toEqual(ALL);
  });
});

describe('downgrade', () => {
  it('reverts one step without --yes when no table with data is dropped', async () => {
    const { db } = await emptyDatabase();
    await upgrade(db, IDEMPOTENCY);
    expect((await downgrade(db, '-1')).steps).toEqual([IDEMPOTENCY]);
    expect(await tableExists(db, 'idempotency_keys')).toBe(false);
    expect((await downgrade(db, '-1')).steps).toEqual([GIN]);
    expect((await migrationStatus(db)).current).toBe(FIRST);
    expect((await verify(db)).differences).toEqual([`migrations at head: pending: ${AFTER_FIRST.join(', ')}`]);
  });

  it('keeps the audit trail and unsent events unless told --yes', async () => {
    const { db } = await emptyDatabase();
    await upgrade(db, CHANGES);
    await expect(downgrade(db, '-1')).rejects.toThrow(
      /drops audit_log \(0 rows\), event_relay_progress \(0 rows\), event_outbox \(0 rows\).*--yes/,
    );
    expect((await downgrade(db, '-1', { yes: true })).steps).toEqual([CHANGES]);
    expect(await tableExists(db, 'audit_log')).toBe(false);
    expect(await tableExists(db, 'event_outbox')).toBe(false);
    expect(await tableExists(db, 'event_relay_progress')).toBe(false);
    expect(await tableExists(db, 'idempotency_keys')).toBe(true);
  });

  it('refuses to drop tables without --yes, naming them, and keeps every row', async () => {
    const { db } = await emptyDatabase();
    await upgrade(db);
    await sql`insert into client_configs (client_id, config_data) values ('keep', '{}')`.execute(db);
    const refusal = downgrade(db, 'base');
    await expect(refusal).rejects.toBeInstanceOf(MigrationError);
    await expect(refusal).rejects.toThrow(
      new RegExp(
        'drops audit_log \\(0 rows\\), event_relay_progress \\(0 rows\\), event_outbox \\(0 rows\\), ' +
          'service_proposals \\(0 rows\\), ' +
          'client_configs \\(1 rows\\), connector_profiles \\(0 rows\\).*--yes',
      ),
    );
    expect(await tableExists(db, 'client_configs')).toBe(true);
    const dry = await downgrade(db, 'base', { dryRun: true });
    expect(dry.statements).toContain('DROP TABLE client_configs');
    expect(await tableExists(db, 'client_configs')).toBe(true);
  });

  it('goes down to base and up again (a full round trip)', async () => {
    const { db } = await emptyDatabase();
    await upgrade(db);
    expect((await downgrade(db, 'base', { yes: true })).steps).toEqual([...ALL].reverse());
    for (const table of ['connector_profiles', 'client_configs', 'service_proposals']) {
      expect(await tableExists(db, table)).toBe(false);
    }
    expect((await migrationStatus(db)).current).toBeUndefined();
    await upgrade(db);
    expect((await verify(db)).differences).toEqual([]);
  });

  it('fails within the lock timeout and names the blocking session', async () => {
    const { test, db } = await emptyDatabase();
    await upgrade(db);
    const blocker = new pg.Client({ connectionString: test.url, application_name: 'long-report' });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select count(*) from connector_profiles');
      const started = Date.now();
      const attempt = downgrade(db, 'base', { yes: true, lockTimeoutMs: 300 });
      await expect(attempt).rejects.toMatchObject({ kind: 'lock-timeout' });
      await expect(attempt).rejects.toThrow(/blocked by pid \d+ \(user postgres, long-report, idle in transaction/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await tableExists(db, 'connector_profiles')).toBe(true);
    } finally {
      await blocker.end();
    }
  });
});

describe('stamp and adoption', () => {
  it('stamps manually created tables so upgrade stops failing with "relation already exists"', async () => {
    const { db } = await emptyDatabase();
    await createGuideTables(db);
    await expect(upgrade(db)).rejects.toThrow(/already exists.*pnpm migrate stamp 20251221_062048/);
    expect((await stamp(db, '20251221_062048')).steps).toEqual([FIRST]);
    expect((await upgrade(db)).steps).toEqual(AFTER_FIRST);
    // Tables made by hand have no comments, and verify says so.
    const differences = (await verify(db)).differences;
    expect(differences).toContain('table connector_profiles: no comment');
    expect(differences).toHaveLength(14);
    // stamp base forgets them again without touching the tables.
    await stamp(db, 'base');
    expect((await migrationStatus(db)).current).toBeUndefined();
    expect(await tableExists(db, 'connector_profiles')).toBe(true);
  });

  it('adopts a database the Python service migrated with Alembic, keeping every row', async () => {
    const { test, db } = await emptyDatabase();
    await createGuideTables(db);
    await sql`create table alembic_version (version_num varchar(32) not null primary key)`.execute(db);
    await sql`insert into alembic_version values ('20251221_062048')`.execute(db);
    await sql`insert into connector_profiles (id, profile_data) values ('legacy', \
'{"name":"Legacy","type":"sql"}')`.execute(db);
    await sql`insert into service_proposals (proposal_id, proposal_data) values ('prop-legacy', \
'{"client_id":"c","proposal_type":"consulting","status":"draft"}')`.execute(db);

    const current = await runMigrateCli(['current'], { DATABASE_URL: test.url });
    expect(current.stdout).toContain(
      'alembic_version is at 20251221_062048: the next upgrade adopts the existing tables.',
    );
    const run = await runMigrateCli(['upgrade', 'head'], { DATABASE_URL: test.url });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('adopted the tables created by Alembic revision 20251221_062048; every row kept');
    expect(run.stdout).toContain(`Running upgrade ${FIRST} -> ${GIN}, add jsonb gin indexes`);
    expect(run.stdout).toContain(`Running upgrade ${GIN} -> ${IDEMPOTENCY}, add idempotency keys`);
    expect(run.stdout).toContain(`Running upgrade ${IDEMPOTENCY} -> ${CHANGES}, add event outbox and audit log`);
    expect(run.code).toBe(0);

    await expectVerified(db, { connector_profiles: 1, service_proposals: 1 });
    expect((await upgrade(db)).direction).toBe('none');
  });

  it("adopts a database where the operator also created the guide's optional GIN indexes", async () => {
    const { test, db } = await emptyDatabase();
    await createGuideTables(db);
    await sql`CREATE INDEX idx_connector_profiles_data ON connector_profiles USING GIN (profile_data)`.execute(db);
    await sql`CREATE INDEX idx_client_configs_data ON client_configs USING GIN (config_data)`.execute(db);
    await sql`CREATE INDEX idx_service_proposals_data ON service_proposals USING GIN (proposal_data)`.execute(db);
    await sql`create table alembic_version (version_num varchar(32) not null primary key)`.execute(db);
    await sql`insert into alembic_version values ('20251221_062048')`.execute(db);

    const dry = await runMigrateCli(['upgrade', 'head', '--dry-run'], { DATABASE_URL: test.url });
    expect(dry.stdout).toContain('COMMENT ON TABLE "connector_profiles"');
    expect(dry.stdout).toContain(`INSERT INTO kysely_migration (name, timestamp) VALUES ('${FIRST}', '<now>');`);
    expect(dry.stdout).not.toMatch(/CREATE TABLE (connector_profiles|client_configs|service_proposals)/);
    expect(dry.stdout).toContain('-- dry run: upgrade would run 6 migration(s)');

    expect((await upgrade(db)).steps).toEqual(AFTER_FIRST);
    expect((await verify(db)).differences).toEqual([]);
  });

  it('refuses to adopt tables whose structure differs', async () => {
    const { db } = await emptyDatabase();
    await createGuideTables(db);
    await sql`alter table client_configs alter column config_data type json`.execute(db);
    await sql`create table alembic_version (version_num varchar(32) not null primary key)`.execute(db);
    await sql`insert into alembic_version values ('20251221_062048')`.execute(db);
    await expect(upgrade(db)).rejects.toThrow(
      /cannot adopt.*client_configs\.config_data: type is json, expected jsonb/,
    );
    expect((await migrationStatus(db)).current).toBeUndefined();
  });
});

describe('the migrate CLI', () => {
  it('verify exits 1 and names each difference when the schema drifts', async () => {
    const { test, db } = await emptyDatabase();
    await upgrade(db);
    await sql`drop index idx_client_configs_data`.execute(db);
    await sql`comment on column service_proposals.created_at is null`.execute(db);
    const result = await runMigrateCli(['verify'], { DATABASE_URL: test.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL indexes: idx_client_configs_data gin (config_data) - missing');
    expect(result.stdout).toContain('FAIL comments: column service_proposals.created_at - no comment');
    expect(result.stdout).toContain('verify: 2 difference(s)');
  });

  it('downgrade without --yes exits 4; with a dry run it prints the SQL and exits 0', async () => {
    const { test } = await emptyDatabase();
    const env = { DATABASE_URL: test.url };
    expect((await runMigrateCli(['upgrade', 'head'], env)).code).toBe(0);
    const refused = await runMigrateCli(['downgrade', 'base'], env);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/^migrate: downgrade to base drops .* --yes\.\n$/);
    const dry = await runMigrateCli(['downgrade', '-6', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('ALTER COLUMN event TYPE JSONB USING event::jsonb');
    expect(dry.stdout).toContain('CREATE INDEX ix_event_outbox_txid ON event_outbox USING BRIN (txid);');
    expect(dry.stdout).toContain('DROP INDEX ix_service_proposals_status_created_at;');
    expect(dry.stdout).toContain('DROP TABLE audit_log;');
    expect(dry.stdout).toContain('DROP TABLE idempotency_keys;');
    expect(dry.stdout).toContain('DROP INDEX idx_connector_profiles_data;');
    const stamped = await runMigrateCli(['stamp', 'head'], env);
    expect(stamped.code).toBe(0);
    expect((await runMigrateCli(['current'], env)).stdout).toContain(`${OUTBOX_BY_SERVICE} (head)`);
  });

  it('waits for another migrator longer than the statement timeout, then finds nothing to do', async () => {
    const { test } = await emptyDatabase();
    const other = new pg.Client({ connectionString: test.url, application_name: 'other-migrator' });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock(3853314791062309107)');
      const waiting = runMigrateCli(['upgrade', 'head'], {
        DATABASE_URL: test.url,
        DATABASE_STATEMENT_TIMEOUT_MS: '300',
      });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await other.query('select pg_advisory_unlock(3853314791062309107)');
      const result = await waiting;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      await other.end();
    }
  });

  it('says in one line when the database cannot be reached', async () => {
    const result = await runMigrateCli(['upgrade', 'head'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^migrate: cannot connect to .*connection refused: is PostgreSQL running/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says in one line when the user may not create tables', async () => {
    const { test } = await emptyDatabase();
    const role = `${test.name}_app`;
    await adminQuery(`create role ${role} login`);
    try {
      const url = new URL(test.url);
      url.username = role;
      const result = await runMigrateCli(['upgrade', 'head'], { DATABASE_URL: url.toString() });
      expect(result.code).toBe(6);
      expect(result.stderr).toMatch(
        new RegExp(
          '^migrate: migration failed: permission denied for schema public\\. ' +
            'Grant it as a superuser, e\\.g\\. GRANT CREATE ON SCHEMA public TO <user>;$',
          'm',
        ),
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await adminQuery(`drop owned by ${role} cascade`).catch(() => undefined);
      await adminQuery(`drop role ${role}`);
    }
  });

  it('exits 2 on a usage error', async () => {
    expect((await runMigrateCli(['sideways'], {})).code).toBe(2);
    expect((await runMigrateCli(['downgrade'], {})).code).toBe(2);
    expect((await runMigrateCli(['upgrade', '--force'], {})).code).toBe(2);
    const stampDry = await runMigrateCli(['stamp', 'head', '--dry-run'], {});
    expect(stampDry.code).toBe(2);
    expect(stampDry.stderr).toMatch(/^migrate: --dry-run does not go with stamp/);
  });
});
