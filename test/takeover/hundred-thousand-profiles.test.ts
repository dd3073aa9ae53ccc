// Adoption at scale: 100,000 profiles in the Python Connector's shape, each with
// a plaintext password, adopted by `pnpm migrate upgrade head` as a user runs
// it. Adoption reports its own time and peak memory; the figures are printed
// here (a shared test machine makes them no assertion).
import { randomBytes } from 'node:crypto';
import { withClient } from '@analytics-engine/storage/testing';
import { expect, it } from 'vitest';
import { runMigrateCli } from '../../packages/storage/test/support/run-cli.js';
import { pythonDatabase } from './support/python-database.js';

const PROFILES = 100_000;

it(
  `adopts ${PROFILES.toLocaleString('en')} Python-era profiles, sealing every password, and reports its time ` +
    'and memory',
  async () => {
    const { test } = await pythonDatabase('20251229_153900');
    await withClient(test.url, (client) =>
      client.query(
        `insert into connector_profiles (id, profile_data, created_at)
       select 'bulk-' || g, jsonb_build_object(
           'id', 'bulk-' || g, 'name', 'Bulk ' || g,
           'type', (array['sql_postgres', 'sql_mssql', 'rest_api', 'excel_file'])[g % 4 + 1],
           'host', 'db' || g || '.internal', 'port', 5432, 'database', 'erp' || g % 97,
           'username', 'etl', 'password', 'bulk-pass-' || g,
           'api_url', 'https://api.example.com/' || g, 'file_path', 'files/' || g || '.xlsx',
           'extra_params', jsonb_build_object('sslmode', 'require'),
           'schedule', jsonb_build_object('frequency', 'daily', 'time', '02:00', 'cron_expression', null, 'active', \
true),
           'selected_tables', jsonb_build_array('orders', 'customers')),
         now() - g * interval '1 second'
       from generate_series(1, $1) g`,
        [PROFILES],
      ),
    );
    const keys = `bulk:${randomBytes(32).toString('base64')}`;
    const started = Date.now();
    // A loaded test machine may take minutes: far past the usual CLI timeout.
    const cliTimeoutMs = 540_000;
    const env = { DATABASE_URL: test.url, CONNECTOR_ENCRYPTION_KEYS: keys, NODE_ENV: 'production' };
    const adopted = await runMigrateCli(['upgrade', 'head'], env, cliTimeoutMs);
    const wallSeconds = (Date.now() - started) / 1000;
    expect(adopted.code, adopted.stderr).toBe(0);
    const summary = /^adoption: .*$/m.exec(adopted.stdout)?.[0] ?? '';
    process.stdout.write(`\n100k adoption: ${summary} (CLI wall time ${wallSeconds.toFixed(1)} s)\n`);
    const total = PROFILES + 8;
    expect(summary).toMatch(new RegExp(`^adoption: ${total + 8} rows, ${PROFILES + 12} mapped to the current shape, `));
    // Every bulk row: a password, and a connection string built from host, port and database (or the URL, or the file).
    expect(summary).toContain(`${2 * PROFILES + 13} plaintext secret(s) sealed`);
    expect(adopted.stdout).toMatch(/^connector_profiles: \d+ of 100008 rows \(\d+%\)/m);
    const left = await withClient(test.url, async (client) => ({
      rows: Number((await client.query<{ n: string }>('select count(*) as n from connector_profiles')).rows[0]?.n),
      plaintext: Number(
        (
          await client.query<{ n: string }>(
            `select count(*) as n from connector_profiles where profile_data::text like '%bulk-pass-%'`,
          )
        ).rows[0]?.n,
      ),
    }));
    expect(left).toEqual({ rows: total, plaintext: 0 });
  },
  600_000,
);
