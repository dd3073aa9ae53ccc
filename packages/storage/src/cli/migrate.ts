// `pnpm migrate <verb>`: the Alembic commands of the migration guide, one to one.
// Exit codes: 0 ok, 1 failed or drift found, 2 usage, 3 cannot reach the database,
// 4 refused (needs --yes, or a target that does not fit the verb), 5 lock timeout,
// 6 missing privilege.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, databaseConfigFromEnv } from '../database/config.js';
import { openDatabase, type OpenDatabase } from '../database/open-database.js';
import { migrationDatabaseConfig, sealSecrets, type SealResult } from '../migrator/migrator.js';
import { sealerFor } from '../migrator/sealing-keys.js';
import { StorageError } from '../errors.js';
import { isDatabaseUnavailable } from '../database/unavailable.js';
import { describeConnectionError, MigrationError } from '../migrator/errors.js';
import {
  downgrade,
  migrationStatus,
  stamp,
  upgrade,
  type MigrationStatus,
  type RunResult,
} from '../migrator/migrator.js';
import { verify } from '../migrator/verify.js';
import { isKnownRevision, unknownRevisionLine } from '../migrator/adopt-alembic.js';

const USAGE = `usage: pnpm migrate <verb> [target] [--dry-run] [--yes]

  current                    the applied revision (read-only)
  history                    every migration, applied or pending (read-only)
  upgrade [head|+N|<name>]   apply migrations (default head); --dry-run prints the SQL
  downgrade <-N|base|<name>> revert migrations; dropping tables needs --yes; --dry-run prints the SQL
  stamp [head|base|<name>]   record migrations as applied without running them
  verify                     check the database against the expected schema, and that no secret is in plaintext
  seal-secrets               seal the profiles' plaintext secrets with the Connector's key; --dry-run counts them

<name> is a migration name or a unique prefix of one, e.g. 20251221_062048.
DATABASE_URL selects PostgreSQL; unset, the embedded database in DATA_DIR (./data) is used.
DATABASE_MIGRATION_URL, when set, is used instead: PostgreSQL itself, not PgBouncer (the lock needs a session).
Sealing (seal-secrets, and adopting a Python-era database) uses CONNECTOR_ENCRYPTION_KEYS, the Connector's keys;
unset outside production, the development key file in DATA_DIR.`;

const VERBS = ['current', 'history', 'upgrade', 'downgrade', 'stamp', 'verify', 'seal-secrets'];
const DRY_RUN_VERBS = ['upgrade', 'downgrade', 'seal-secrets'];

const EXIT = { ok: 0, failed: 1, usage: 2, connection: 3, refused: 4, lockTimeout: 5, permission: 6 } as const;

const print = (line = '') => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => /^--[a-z-]+$/.test(a)));
  const [verb, target, ...rest] = argv.filter((a) => !flags.has(a));
  const allowed = [
    '--help',
    ...(DRY_RUN_VERBS.includes(verb ?? '') ? ['--dry-run'] : []),
    ...(verb === 'downgrade' ? ['--yes'] : []),
  ];
  const unknown = [...flags].filter((f) => !allowed.includes(f));
  if (flags.has('--help') || !verb) {
    print(USAGE);
    return verb || flags.has('--help') ? EXIT.ok : EXIT.usage;
  }
  const takesTarget = !['verify', 'seal-secrets', 'current', 'history'].includes(verb);
  if (unknown.length || rest.length || (target !== undefined && !takesTarget) || !VERBS.includes(verb)) {
    const what = unknown[0] ? `${unknown[0]} does not go with ${verb}` : `unexpected ${rest[0] ?? verb}`;
    process.stderr.write(`migrate: ${what}\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (verb === 'downgrade' && !target) {
    process.stderr.write('migrate: downgrade needs a target: -1, base or a migration name\n');
    return EXIT.usage;
  }

  const config = databaseConfigFromEnv(process.env, 'analytics-engine-migrate');
  const readOnly = verb === 'current' || verb === 'history';
  if (readOnly && !config.databaseUrl && !existsSync(join(config.dataDir, 'pgdata', 'PG_VERSION'))) {
    print(`Database: embedded, ${config.dataDir} (not created yet)`);
    print('No migration applied (base).');
    return EXIT.ok;
  }

  const database = await openDatabase(migrationDatabaseConfig(config));
  try {
    print(`Database: ${database.mode === 'embedded' ? 'embedded, ' : ''}${database.location}`);
    const options = {
      dryRun: flags.has('--dry-run'),
      yes: flags.has('--yes'),
      log: print,
      sealWith: sealerFor(config, print),
    };
    switch (verb) {
      case 'current':
        printCurrent(await migrationStatus(database.db));
        return EXIT.ok;
      case 'history':
        printHistory(await migrationStatus(database.db));
        return EXIT.ok;
      case 'upgrade':
        return report('upgrade', await upgrade(database.db, target ?? 'head', options), options.dryRun);
      case 'downgrade':
        return report('downgrade', await downgrade(database.db, target ?? '', options), options.dryRun);
      case 'stamp':
        report('stamp', await stamp(database.db, target ?? 'head', options), false);
        return EXIT.ok;
      case 'verify':
        return await printVerify(database);
      case 'seal-secrets':
        return reportSealed(await sealSecrets(database.db, options));
      default:
        return EXIT.usage;
    }
  } finally {
    await database.close();
  }
}

function printCurrent(status: MigrationStatus): void {
  if (status.current) print(`${status.current}${status.pending.length ? '' : ' (head)'}`);
  else print('No migration applied (base).');
  if (status.pending.length) print(`${status.pending.length} pending: ${status.pending.join(', ')}`);
  if (!status.current && status.alembicRevision) {
    print(`alembic_version is at ${status.alembicRevision}: the next upgrade adopts the existing tables.`);
    if (!isKnownRevision(status.alembicRevision)) print(unknownRevisionLine(status.alembicRevision));
  }
}

function printHistory(status: MigrationStatus): void {
  let previous = '<base>';
  for (const [index, m] of status.migrations.entries()) {
    const head = index === status.migrations.length - 1 ? ' (head)' : '';
    const state = m.appliedAt ? `applied ${m.appliedAt.toISOString()}` : 'pending';
    print(`${previous} -> ${m.name}${head}, ${m.description} [${state}]`);
    previous = m.name;
  }
}

function report(verb: string, result: RunResult, dryRun: boolean): number {
  if (dryRun) {
    print(`-- dry run: ${verb} would run ${result.steps.length} migration(s); nothing was changed`);
    for (const statement of result.statements ?? []) print(`${statement};`);
  } else if (result.direction === 'none' && verb !== 'stamp') {
    print(`Nothing to ${verb}: already there.`);
  }
  return EXIT.ok;
}

async function printVerify(database: OpenDatabase): Promise<number> {
  const result = await verify(database.db);
  for (const check of result.checks) {
    const difference = check.difference ? ` - ${check.difference}` : '';
    print(`  ${check.difference ? 'FAIL' : 'ok  '} ${check.aspect}: ${check.subject}${difference}`);
  }
  print('Row counts:');
  for (const [table, count] of Object.entries(result.rowCounts)) print(`  ${table}: ${count}`);
  for (const { table, mapped, incomplete } of result.shapes) {
    const notes = [
      mapped > 0 && `${mapped} in a Python-era shape (read in the current one, stored so on their next write)`,
      incomplete > 0 && `${incomplete} lacking members every write needs (reads name them in needs_completion)`,
    ].filter((note) => note !== false);
    if (notes.length) print(`  ${table}: ${notes.join('; ')}`);
  }
  if (result.notOurs.length) print(`Not ours, left as they are: ${result.notOurs.join(', ')}`);
  if (result.differences.length) {
    print(`verify: ${result.differences.length} difference(s) from the expected schema`);
    return EXIT.failed;
  }
  print(`verify: all ${result.checks.length} checks passed`);
  return EXIT.ok;
}

function reportSealed({ tally, dryRun }: SealResult): number {
  const verb = dryRun ? 'would seal' : 'sealed';
  print(
    `seal-secrets: ${verb} ${tally.sealed} plaintext secret(s) in ${tally.rows} profile(s)` +
      (dryRun ? '; nothing was changed' : ''),
  );
  return EXIT.ok;
}

function exitCodeFor(error: unknown, location: string): { code: number; message: string } {
  if (error instanceof ConfigError) return { code: EXIT.usage, message: error.message };
  if (isDatabaseUnavailable(error)) return { code: EXIT.connection, message: describeConnectionError(error, location) };
  if (error instanceof StorageError && error.code === 'DATA_DIR_LOCKED')
    return { code: EXIT.connection, message: error.message };
  if (error instanceof MigrationError) {
    const code = {
      connection: EXIT.connection,
      'lock-timeout': EXIT.lockTimeout,
      permission: EXIT.permission,
      refused: EXIT.refused,
      drift: EXIT.failed,
      failed: EXIT.failed,
    }[error.kind];
    return { code, message: error.message };
  }
  return { code: EXIT.failed, message: error instanceof Error ? error.message : String(error) };
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const location = process.env.DATABASE_URL ? 'the database in DATABASE_URL' : 'the embedded database';
  const { code, message } = exitCodeFor(error, location);
  process.stderr.write(`migrate: ${message}\n`);
  process.exitCode = code;
}
