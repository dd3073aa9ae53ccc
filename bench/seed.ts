// Seeds N connector profiles, N proposals and the clients they name with
// INSERT ... SELECT over generate_series: realistic documents (mixed types and
// statuses, created_at spread over two years, uncorrelated with the key order).
// Profile secrets are sealed in Node with the key the service is started with,
// by the Connector Service's own sealing (its views included), so reads pay
// what they pay for a profile the service wrote.
import { randomBytes } from 'node:crypto';
import { createSecretBox, parseKeyRing } from '@analytics-engine/storage';
import { createProfileSecrets } from '../services/connector/src/profile-secrets.js';

/** Runs one statement; the seed needs nothing else from the database. */
export type RunSql = (text: string, params?: unknown[]) => Promise<unknown>;

export const PROFILE_PREFIX = 'bench-p-';
export const PROPOSAL_PREFIX = 'bench-q-';
export const CLIENT_PREFIX = 'bench-c-';
export const CLIENT_COUNT = 1000;
/** Rows spread over [SPREAD_START, SPREAD_START + 2 years). */
export const SPREAD_START = '2024-01-01T00:00:00Z';
/** A one-week window inside the spread, for the created_at range lists. */
export const RANGE = { after: '2025-03-01T00:00:00Z', before: '2025-03-08T00:00:00Z' } as const;
const SPREAD_SECONDS = 2 * 365 * 24 * 3600;
const BATCH = 50_000;

/** The service's sealing key (CONNECTOR_ENCRYPTION_KEYS = `${KEY_ID}:${base64}`). */
export interface SealingKey {
  readonly id: string;
  readonly key: Buffer;
}

export function newSealingKey(): SealingKey {
  return { id: 'bench', key: randomBytes(32) };
}

export function sealingKeyVariable(key: SealingKey): string {
  return `${key.id}:${key.key.toString('base64')}`;
}

/** created_at of row g: a multiplicative hash spreads it over two years. */
const createdAt = (g: string) =>
  `(timestamptz '${SPREAD_START}' + ((${g}::bigint * 2654435761) % ${SPREAD_SECONDS}) * interval '1 second')`;

export async function seedClients(run: RunSql): Promise<void> {
  await run(
    `INSERT INTO client_configs (client_id, config_data, created_at, updated_at)
     SELECT '${CLIENT_PREFIX}' || g,
            jsonb_build_object('client_name', 'Client ' || g,
                               'license_type', (ARRAY['basic','professional','enterprise'])[1 + g % 3],
                               'modules', jsonb_build_array('dashboards', 'forecasting'),
                               'preferences', jsonb_build_object('currency', 'EUR', 'timezone', 'Europe/Berlin')),
            ${createdAt('g')}, ${createdAt('g')}
     FROM generate_series(1, ${CLIENT_COUNT}) g
     ON CONFLICT DO NOTHING`,
  );
}

async function seedProfiles(run: RunSql, key: SealingKey, from: number, to: number): Promise<void> {
  const secrets = createProfileSecrets(createSecretBox(parseKeyRing(sealingKeyVariable(key))));
  const connections: string[] = [];
  const passwords: string[] = [];
  for (let g = from; g <= to; g++) {
    const sealed = secrets.sealDocument(`${PROFILE_PREFIX}${g}`, {
      name: '',
      type: 'sql',
      connection_string: `Server=db${g % 50}.internal;Database=sales_${g % 200};User Id=reader;Password=s3cret-${g};`,
      credentials: { password: `pw-${g}-${g % 977}` },
    });
    connections.push(sealed.connection_string ?? '');
    passwords.push(sealed.credentials?.password ?? '');
  }
  await run(
    `INSERT INTO connector_profiles (id, profile_data, created_at, updated_at)
     SELECT '${PROFILE_PREFIX}' || g,
            jsonb_build_object('name', 'Profile ' || g,
                               'type', (ARRAY['sql','api','excel'])[1 + g % 3],
                               'connection_string', s.connection,
                               'credentials', jsonb_build_object('username', 'user' || g % 100, 'password', s.password),
                               'schema_info', jsonb_build_object('tables', ` +
      `jsonb_build_array('orders', 'customers', 'items'),
                                                                 'columns', ` +
      `jsonb_build_object('orders', jsonb_build_array('id', 'customer_id', 'total', 'placed_at'))))
            || CASE g % 4 WHEN 0 THEN '{}'::jsonb
                          ELSE jsonb_build_object('test_status', CASE g % 4 WHEN 1 THEN 'failed' ELSE 'success' END,
                                                  'last_tested', ` +
      `to_char(${createdAt('g')} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
               END,
            ${createdAt('g')}, ${createdAt('g')}
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(connection, password, n),
          LATERAL (SELECT $3::int + s.n::int - 1 AS g) AS k`,
    [connections, passwords, from],
  );
}

async function seedProposals(run: RunSql, from: number, to: number): Promise<void> {
  await run(
    `INSERT INTO service_proposals (proposal_id, proposal_data, created_at)
     SELECT '${PROPOSAL_PREFIX}' || g,
            jsonb_build_object('client_id', '${CLIENT_PREFIX}' || (1 + g % ${CLIENT_COUNT}),
                               'proposal_type', CASE WHEN g % 3 = 0 THEN 'consulting' ELSE 'implementation' END,
                               'pricing', jsonb_build_object('total', 20000 + (g % 10) * 1000 + 6000 + 18000,
                                                             'breakdown', ` +
      `jsonb_build_object('licenses', 18000, 'implementation', 20000 + (g % 10) * 1000, 'training', 6000)),
                               'timeline', jsonb_build_object('start_date', '2026-01-05', 'end_date', '2026-03-27',
                                                              'phases', ` +
      `jsonb_build_array(jsonb_build_object('name', 'Discovery', 'weeks', 2),
                                                                                          jsonb_build_object('name', ` +
      `'Build', 'weeks', 8))),
                               'resources', ` +
      `jsonb_build_object('consultants', jsonb_build_array('Lead consultant', 'Data engineer'), 'hours', 100 + g % 400),
                               -- 40 % draft, 30 % sent, 20 % accepted, 10 % rejected
                               'status', ` +
      `(ARRAY['draft','draft','draft','draft','sent','sent','sent','accepted','accepted','rejected'])[1 + g % 10]),
            ${createdAt('g')}
     FROM generate_series($1::int, $2::int) g`,
    [from, to],
  );
}

/** Grows both tables from `have` to `want` rows, printing a progress line; then VACUUM ANALYZE. */
export async function seed(run: RunSql, key: SealingKey, have: number, want: number): Promise<void> {
  const started = performance.now();
  for (let from = have + 1; from <= want; from += BATCH) {
    const to = Math.min(from + BATCH - 1, want);
    await seedProfiles(run, key, from, to);
    await seedProposals(run, from, to);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `\rseeding: ${to.toLocaleString('en')} / ${want.toLocaleString('en')} profiles and proposals ` +
        `(${seconds.toFixed(1)} s)`,
    );
  }
  process.stdout.write('\n');
  await run('VACUUM ANALYZE connector_profiles');
  await run('VACUUM ANALYZE service_proposals');
  await run('VACUUM ANALYZE client_configs');
}
