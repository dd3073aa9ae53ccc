// The repositories over rows the Python services wrote: read in the current
// shape (needs_completion naming what a write must add), found by the list
// filters in their Python spellings, stored in the current shape on their next
// write; and what every write keeps: nested members no schema names are refused,
// the open objects keep any JSON, needs_completion is never stored.
import { sql } from 'kysely';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  createClientConfigRepository,
  createConnectorProfileRepository,
  createServiceProposalRepository,
  holdsPlaintextSecret,
  InvalidDocumentError,
  plaintextSecretsOf,
  serviceProposalSchema,
} from '../src/index.js';
import { useTestDatabase } from './support/test-database.js';

const file = useTestDatabase();

const insertRaw = (table: string, keyColumn: string, dataColumn: string, key: string, data: unknown) =>
  sql`insert into ${sql.table(table)} (${sql.ref(keyColumn)}, ${sql.ref(dataColumn)})
      values (${key}, ${JSON.stringify(data)}::jsonb)`.execute(file.database.db);
const stored = async (table: string, keyColumn: string, dataColumn: string, key: string) =>
  (
    await sql<{
      data: unknown;
    }>`select ${sql.ref(dataColumn)} as data from ${sql.table(table)} where ${sql.ref(keyColumn)} = ${key}`.execute(
      file.database.db,
    )
  ).rows[0]?.data;

describe('a row a Python service wrote', () => {
  it('reads in the current shape, naming what a write must add', async () => {
    await insertRaw('client_configs', 'client_id', 'config_data', 'py-client', {
      id: 'u1',
      client_id: 'py-client',
      client_name: 'Acme',
      selected_kpis: ['POF'],
    });
    const read = await createClientConfigRepository(file.database.db).get('py-client');
    expect(read?.data).toEqual({
      client_name: 'Acme',
      selected_kpis: ['POF'],
      legacy: { id: 'u1' },
      needs_completion: ['license_type'],
    });
    const listed = await createClientConfigRepository(file.database.db).list({ limit: 500 });
    expect(listed.items.find((item) => item.key === 'py-client')?.data).toEqual(read?.data);
  });

  it('is found by the list filters in its Python spelling', async () => {
    await insertRaw('connector_profiles', 'id', 'profile_data', 'py-pg', {
      name: 'PG',
      type: 'sql_postgres',
      host: 'h',
    });
    await insertRaw('connector_profiles', 'id', 'profile_data', 'py-api', {
      name: 'API',
      type: 'rest_api',
      api_url: 'https://a',
    });
    const sqlProfiles = await createConnectorProfileRepository(file.database.db).list({ type: 'sql', limit: 500 });
    expect(sqlProfiles.items.map((item) => item.key)).toContain('py-pg');
    expect(sqlProfiles.items.map((item) => item.key)).not.toContain('py-api');
    await insertRaw('service_proposals', 'proposal_id', 'proposal_data', 'py-signed', {
      client_id: 'c',
      status: 'signed',
    });
    const accepted = await createServiceProposalRepository(file.database.db).list({
      status: 'accepted',
      client_id: 'c',
    });
    expect(accepted.items.map((item) => [item.key, item.data.status])).toEqual([['py-signed', 'accepted']]);
  });

  it('is stored in the current shape on its next write, sealed by beforeStore', async () => {
    await insertRaw('connector_profiles', 'id', 'profile_data', 'py-write', {
      id: 'py-write',
      name: 'W',
      type: 'excel_file',
      file_path: 'a.xlsx',
      password: 'p',
    });
    const profiles = createConnectorProfileRepository(file.database.db, {
      beforeStore: (key, document) => ({ ...document, schema_info: { stored_for: key } }),
    });
    await profiles.merge('py-write', { name: 'Written' });
    expect(await stored('connector_profiles', 'id', 'profile_data', 'py-write')).toEqual({
      name: 'Written',
      type: 'excel',
      connection_string: 'a.xlsx',
      credentials: { password: 'p' },
      schema_info: { stored_for: 'py-write' },
    });
  });

  it('is refused a write that leaves a required member missing, naming it', async () => {
    const error = await createClientConfigRepository(file.database.db)
      .merge('py-client', { client_name: 'Acme 2' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect((error as InvalidDocumentError).issues.map((issue) => issue.path)).toEqual([['license_type']]);
    await createClientConfigRepository(file.database.db).merge('py-client', { license_type: 'basic' });
    expect(await stored('client_configs', 'client_id', 'config_data', 'py-client')).toEqual({
      client_name: 'Acme',
      license_type: 'basic',
      selected_kpis: ['POF'],
      legacy: { id: 'u1' },
    });
  });
});

describe('every write', () => {
  it('refuses a member no schema names, at any depth, naming its path', async () => {
    const proposals = createServiceProposalRepository(file.database.db);
    for (const [member, value, path] of [
      ['pricing', { total: 1, currency: 'EUR' }, ['pricing']],
      ['timeline', { milestones: [] }, ['timeline']],
      ['resources', { roles: {} }, ['resources']],
    ] as const) {
      const error = await proposals
        .create(`strict-${member}`, { client_id: 'c', proposal_type: 'consulting', [member]: value })
        .catch((caught: unknown) => caught);
      expect(error, member).toBeInstanceOf(InvalidDocumentError);
      expect((error as InvalidDocumentError).message, member).toContain(`${path.join('.')}: Unrecognized key`);
    }
    const credentials = await createConnectorProfileRepository(file.database.db)
      .create('strict-credentials', { name: 'N', type: 'sql', credentials: { username: 'u', domain: 'd' } as never })
      .catch((caught: unknown) => caught);
    expect((credentials as InvalidDocumentError).message).toContain('credentials: Unrecognized key: "domain"');
  });

  it('keeps whatever JSON the open objects hold, and checks the named parts of schema_info', async () => {
    const open = { anything: [1, { deep: null }], 'odd key': true };
    const created = await createServiceProposalRepository(file.database.db).create('open-objects', {
      client_id: 'c',
      proposal_type: 'implementation',
      pricing: { total: 2, breakdown: { a: 'x', ...open } },
      timeline: { phases: [open, 'two'] },
      resources: { consultants: [open] },
      estimate: open,
      legacy: open,
    });
    expect(created.data).toMatchObject({
      pricing: { breakdown: { a: 'x', ...open } },
      timeline: { phases: [open, 'two'] },
      estimate: open,
      legacy: open,
    });
    const profile = await createConnectorProfileRepository(file.database.db).create('open-schema-info', {
      name: 'N',
      type: 'sql',
      schema_info: { tables: [open], columns: { t: open }, discovered_at: 'x', extra: open },
      extra_params: open,
    });
    expect(profile.data.schema_info).toEqual({ tables: [open], columns: { t: open }, discovered_at: 'x', extra: open });
    const wrong = await createConnectorProfileRepository(file.database.db)
      .create('bad-schema-info', { name: 'N', type: 'sql', schema_info: { tables: 'orders' } })
      .catch((caught: unknown) => caught);
    expect((wrong as InvalidDocumentError).issues).toEqual([
      { path: ['schema_info', 'tables'], message: 'must be an array' },
    ]);
  });

  it('never stores needs_completion: it is what a read computes', async () => {
    await createClientConfigRepository(file.database.db).create('computed', {
      client_name: 'C',
      license_type: 'basic',
      needs_completion: ['x'],
    });
    expect(await stored('client_configs', 'client_id', 'config_data', 'computed')).toEqual({
      client_name: 'C',
      license_type: 'basic',
    });
  });

  it('refuses a proposal without client_id or proposal_type naming each, and lets a response lack them', () => {
    const messages = serviceProposalSchema
      .safeParse({})
      .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(messages).toEqual([
      'client_id: must not be empty',
      'proposal_type: Invalid option: expected one of "implementation"|"consulting"',
    ]);
    // A Python-era row may lack them (needs_completion names them): encoding its response is no error.
    expect(z.object(serviceProposalSchema.shape).safeEncode({ status: 'draft' } as never).success).toBe(true);
  });
});

describe('plaintext secrets', () => {
  const documents: Record<string, unknown> = {
    sealed: { connection_string: 'enc:v1:k:a:b', credentials: { password: 'enc:v1:k:c:d' } },
    none: { name: 'n' },
    'python-password': { password: 'p' },
    'python-null-password': { password: null },
    'guide-connection-string': { connection_string: 'Server=x;Password=p;' },
    'guide-password': { credentials: { username: 'u', password: 'p' } },
    'legacy-password': { legacy: { password: 'p' } },
    'numeric-password': { credentials: { password: 1234 } },
  };

  it('are found alike by the SQL filter and in a document', async () => {
    const found = await file.database.db.connection().execute(async (conn) => {
      await sql`create temporary table secrets_probe (key text, profile_data jsonb)`.execute(conn);
      for (const [key, document] of Object.entries(documents)) {
        await sql`insert into secrets_probe values (${key}, ${JSON.stringify(document)}::jsonb)`.execute(conn);
      }
      return (
        await sql<{
          key: string;
        }>`select key from secrets_probe where ${holdsPlaintextSecret('profile_data')} order by key`.execute(conn)
      ).rows;
    });
    const expected = Object.entries(documents)
      .filter(([, document]) => plaintextSecretsOf(document).length > 0)
      .map(([key]) => key)
      .sort();
    expect(found.map((row) => row.key)).toEqual(expected);
    expect(expected).toEqual([
      'guide-connection-string',
      'guide-password',
      'legacy-password',
      'numeric-password',
      'python-password',
    ]);
  });
});
