import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  createClientConfigRepository,
  createConnectorProfileRepository,
  createServiceProposalRepository,
  InvalidCursorError,
  InvalidDocumentError,
  NotFoundError,
  VersionMismatchError,
} from '../src/index.js';
import { useTestDatabase } from './support/test-database.js';

const file = useTestDatabase();

const profile = {
  name: 'Test SQL Server',
  type: 'sql' as const,
  connection_string: 'Server=localhost;Database=test;',
  credentials: { username: 'testuser', password: 'testpass' },
};

describe('connector profile repository', () => {
  it('creates, reads back and refuses a duplicate key', async () => {
    const profiles = createConnectorProfileRepository(file.database.db);
    const created = await profiles.create('crud-1', profile);
    expect(created).toMatchObject({ key: 'crud-1', data: profile });
    expect(created.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(created.updatedAt).toBe(created.createdAt);
    expect(created.version).toMatch(/^[0-9a-f]{32}$/);
    expect(await profiles.get('crud-1')).toEqual(created);
    await expect(profiles.create('crud-1', profile)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await profiles.get('missing')).toBeUndefined();
  });

  it('stores the document as JSONB in profile_data', async () => {
    await createConnectorProfileRepository(file.database.db).create('crud-raw', profile);
    const row = await sql<{ type: string; username: string }>`
      select profile_data->>'type' as type, profile_data->'credentials'->>'username' as username
      from connector_profiles where id = 'crud-raw'`.execute(file.database.db);
    expect(row.rows).toEqual([{ type: 'sql', username: 'testuser' }]);
  });

  it('replaces, merges and sets updated_at on every update', async () => {
    const profiles = createConnectorProfileRepository(file.database.db);
    const created = await profiles.create('crud-2', profile);
    const replaced = await profiles.replace('crud-2', { name: 'Renamed', type: 'api' });
    expect(replaced.data).toEqual({ name: 'Renamed', type: 'api' });
    expect(replaced.updatedAt! > created.updatedAt!).toBe(true);
    expect(replaced.createdAt).toBe(created.createdAt);

    const merged = await profiles.merge('crud-2', {
      credentials: { username: 'u', password: 'p' },
      test_status: 'success',
    });
    expect(merged.data).toEqual({
      name: 'Renamed',
      type: 'api',
      credentials: { username: 'u', password: 'p' },
      test_status: 'success',
    });
    // RFC 7386: absent keeps, null clears, a value replaces.
    const cleared = await profiles.merge('crud-2', { credentials: { password: null }, test_status: null });
    expect(cleared.data).toEqual({ name: 'Renamed', type: 'api', credentials: { username: 'u' } });
    expect(cleared.updatedAt! > merged.updatedAt!).toBe(true);
  });

  it('rejects an invalid document and writes nothing', async () => {
    const profiles = createConnectorProfileRepository(file.database.db);
    await profiles.create('crud-3', profile);
    const invalid = profiles.merge('crud-3', { type: 'ftp' });
    await expect(invalid).rejects.toBeInstanceOf(InvalidDocumentError);
    await expect(invalid).rejects.toMatchObject({ issues: [{ path: ['type'] }] });
    expect((await profiles.get('crud-3'))?.data).toEqual(profile);
    await expect(profiles.create('crud-4', { ...profile, unknown_field: 1 } as never)).rejects.toBeInstanceOf(
      InvalidDocumentError,
    );
    expect(await profiles.get('crud-4')).toBeUndefined();
  });

  it('rejects the NUL character and over-long keys with the field named', async () => {
    const profiles = createConnectorProfileRepository(file.database.db);
    await expect(profiles.create('nul', { ...profile, credentials: { password: 'a\u0000b' } })).rejects.toMatchObject({
      code: 'INVALID_DOCUMENT',
      issues: [{ path: ['credentials', 'password'] }],
    });
    await expect(profiles.create('x'.repeat(256), profile)).rejects.toMatchObject({ issues: [{ path: ['id'] }] });
    await expect(profiles.create('', profile)).rejects.toBeInstanceOf(InvalidDocumentError);
    const longest = await profiles.create('y'.repeat(255), profile);
    expect(longest.key).toHaveLength(255);
  });

  it('honours ifVersion on replace, merge, update and delete', async () => {
    const profiles = createConnectorProfileRepository(file.database.db);
    const v1 = await profiles.create('ver-1', profile);
    const v2 = await profiles.merge('ver-1', { name: 'second' }, { ifVersion: v1.version });
    expect(v2.version).not.toBe(v1.version);
    for (const write of [
      () => profiles.replace('ver-1', profile, { ifVersion: v1.version }),
      () => profiles.merge('ver-1', { name: 'third' }, { ifVersion: v1.version }),
      () => profiles.delete('ver-1', { ifVersion: v1.version }),
    ]) {
      await expect(write()).rejects.toBeInstanceOf(VersionMismatchError);
    }
    expect((await profiles.get('ver-1'))?.data.name).toBe('second');
    await profiles.delete('ver-1', { ifVersion: v2.version });
    expect(await profiles.get('ver-1')).toBeUndefined();
  });

  it('throws NotFoundError for writes to a missing key', async () => {
    const profiles = createConnectorProfileRepository(file.database.db);
    await expect(profiles.replace('nope', profile)).rejects.toBeInstanceOf(NotFoundError);
    await expect(profiles.merge('nope', { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(profiles.delete('nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('serialises read-modify-write updates: of two racing transitions exactly one wins', async () => {
    const proposals = createServiceProposalRepository(file.database.db);
    await proposals.create('race-1', { client_id: 'c', proposal_type: 'consulting', status: 'sent' });
    const move = (to: 'accepted' | 'rejected') =>
      proposals.update('race-1', (current) => {
        if (current.status !== 'sent') throw new Error(`cannot move ${current.status} -> ${to}`);
        return { ...current, status: to };
      });
    const results = await Promise.allSettled([move('accepted'), move('rejected')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('works inside a caller transaction and rolls back with it', async () => {
    await file.database.db
      .transaction()
      .execute(async (trx) => {
        await createConnectorProfileRepository(trx).create('trx-1', profile);
        await createConnectorProfileRepository(trx).merge('trx-1', { name: 'in trx' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await createConnectorProfileRepository(file.database.db).get('trx-1')).toBeUndefined();
  });
});

describe('list', () => {
  it('filters on JSONB fields and created_at ranges, newest first', async () => {
    const clients = createClientConfigRepository(file.database.db);
    await clients.create('list-a', { client_name: 'A', license_type: 'basic', modules: ['SCOR'] });
    await clients.create('list-b', { client_name: 'B', license_type: 'professional', modules: ['SCOR', 'CRM'] });
    const c = await clients.create('list-c', { client_name: 'C', license_type: 'professional', modules: ['CRM'] });

    const keys = async (filter: Parameters<typeof clients.list>[0]) =>
      (await clients.list(filter)).items.map((i) => i.key);
    expect(await keys({})).toEqual(['list-c', 'list-b', 'list-a']);
    expect(await keys({ license_type: 'professional' })).toEqual(['list-c', 'list-b']);
    expect(await keys({ module: 'SCOR' })).toEqual(['list-b', 'list-a']);
    expect(await keys({ module: 'CRM', license_type: 'professional' })).toEqual(['list-c', 'list-b']);
    expect(await keys({ module: 'ERP' })).toEqual([]);
    expect(await keys({ createdAfter: c.createdAt! })).toEqual([]);
    expect(await keys({ createdBefore: c.createdAt! })).toEqual(['list-b', 'list-a']);
    expect(await keys({ createdAfter: '2000-01-01T00:00:00Z', createdBefore: '2100-01-01T00:00:00Z' })).toHaveLength(3);

    const proposals = createServiceProposalRepository(file.database.db);
    await proposals.create('p-1', { client_id: 'list-a', proposal_type: 'implementation' });
    await proposals.create('p-2', { client_id: 'list-b', proposal_type: 'consulting', status: 'sent' });
    expect((await proposals.list({ client_id: 'list-a' })).items.map((i) => i.data)).toEqual([
      { client_id: 'list-a', proposal_type: 'implementation', status: 'draft' },
    ]);
    expect((await proposals.list({ status: 'sent', proposal_type: 'consulting' })).items.map((i) => i.key)).toEqual([
      'p-2',
    ]);
    expect((await proposals.list({ status: 'accepted', client_id: 'list-a' })).items).toEqual([]);
  });

  it('pages with a cursor, breaking created_at ties by key', async () => {
    // Same created_at for all rows: one statement, one transaction timestamp.
    await sql`insert into service_proposals (proposal_id, proposal_data)
      select 'tie-' || lpad(g::text, 3, '0'), jsonb_build_object('client_id', 'tie', 'proposal_type', 'consulting', \
'status', 'draft')
      from generate_series(1, 25) g`.execute(file.database.db);
    const proposals = createServiceProposalRepository(file.database.db);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await proposals.list({ client_id: 'tie', limit: 7, cursor });
      seen.push(...page.items.map((i) => i.key));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `tie-${String(25 - i).padStart(3, '0')}`));
  });

  it('neither skips nor repeats rows while others insert concurrently', async () => {
    const profiles = createConnectorProfileRepository(file.database.db);
    for (let i = 0; i < 40; i++)
      await profiles.create(`page-${String(i).padStart(2, '0')}`, { name: `p${i}`, type: 'excel' });
    const before = new Set((await profiles.list({ type: 'excel', limit: 500 })).items.map((i) => i.key));

    const seen: string[] = [];
    let cursor: string | undefined;
    let inserted = 0;
    do {
      const page = await profiles.list({ type: 'excel', limit: 6, cursor });
      seen.push(...page.items.map((i) => i.key));
      cursor = page.nextCursor ?? undefined;
      // New rows land at the head of the order, never inside pages still to come.
      await Promise.all([0, 1].map(() => profiles.create(`late-${inserted++}`, { name: 'late', type: 'excel' })));
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(before);
  });

  it('clamps the page size and rejects a forged cursor', async () => {
    const profiles = createConnectorProfileRepository(file.database.db);
    await expect(profiles.list({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(profiles.list({ cursor: Buffer.from('[1,2]').toString('base64url') })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    // Date.parse accepts '1'; PostgreSQL would not: only the repositories' own format passes.
    await expect(profiles.list({ cursor: Buffer.from('["1","k"]').toString('base64url') })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    const page = await profiles.list({ limit: 0 });
    expect(page.items.length).toBeLessThanOrEqual(1);
  });

  it('uses the GIN index for JSONB filters and the created_at index for ranges', async () => {
    await file.database.db.connection().execute(async (conn) => {
      const plan = async (query: ReturnType<typeof sql>) =>
        (await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(conn)).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      await sql`set enable_seqscan = off`.execute(conn);
      const gin = await plan(sql`select * from connector_profiles where profile_data @> '{"type":"sql"}'`);
      expect(gin).toContain('idx_connector_profiles_data');
      const range = await plan(
        sql`select * from client_configs where created_at > now() - interval '7 days' order by created_at desc`,
      );
      expect(range).toContain('ix_client_configs_created_at');
      await sql`reset enable_seqscan`.execute(conn);
    });
  });

  it(
    'lists newest first by walking the created_at index, with no sort, for the SQL the repository really ' + 'sends',
    async () => {
      await sql`insert into connector_profiles (id, profile_data, created_at)
      select 'plan-' || g, jsonb_build_object('name', 'p', 'type', case when g % 3 = 0 then 'sql' else 'api' end),
             now() - g * interval '1 second'
      from generate_series(1, 3000) g`.execute(file.database.db);
      await sql`analyze connector_profiles`.execute(file.database.db);

      // A second Kysely on the same database that records the statements it sends.
      const sent: CompiledQuery[] = [];
      const pool = new pg.Pool({ connectionString: file.url, max: 1 });
      const recording = new Kysely<any>({
        dialect: new PostgresDialect({ pool }),
        log: (event) => void sent.push(event.query),
      });
      try {
        const profiles = createConnectorProfileRepository(recording);
        const first = await profiles.list({ limit: 20 });
        await profiles.list({ limit: 20, cursor: first.nextCursor ?? undefined });
        await profiles.list({ limit: 20, createdAfter: '2000-01-01T00:00:00Z' });
        const client = await pool.connect();
        try {
          for (const query of sent) {
            const plan = (await client.query(`explain ${query.sql}`, [...query.parameters])).rows
              .map((r: Record<string, string>) => r['QUERY PLAN'])
              .join('\n');
            expect(plan, query.sql).toContain('Index Scan Backward using ix_connector_profiles_created_at');
            // Ties on created_at are ordered by key with an incremental sort; never a full sort.
            expect(plan, query.sql).not.toMatch(/(^|->\s+)Sort\s+\(cost/m);
          }
        } finally {
          client.release();
        }
      } finally {
        await recording.destroy();
      }
      expect(sent).toHaveLength(3);
    },
  );
});

describe('the stored JSON text', () => {
  it('comes with a document read exactly as stored, and not with one read in another shape', async () => {
    const { db } = file.database;
    const proposals = createServiceProposalRepository(db);
    const created = await proposals.create('text-1', {
      client_id: 'client-1',
      proposal_type: 'consulting',
      status: 'draft',
      resources: { hours: 12 },
    });
    const stored = await sql<{ text: string }>`
      select proposal_data::text as text from service_proposals where proposal_id = 'text-1'`.execute(db);
    expect(created.json).toBe(stored.rows[0]?.text);
    expect(JSON.parse(created.json ?? 'null')).toEqual(created.data);
    expect((await proposals.get('text-1'))?.json).toBe(created.json);
    // A row that lacks a required member is read with needs_completion: that is not the stored text.
    await sql`insert into service_proposals (proposal_id, proposal_data)
              values ('text-2', '{"proposal_type": "consulting", "status": "draft"}')`.execute(db);
    const incomplete = await proposals.get('text-2');
    expect(incomplete?.data).toMatchObject({ needs_completion: ['client_id'] });
    expect(incomplete?.json).toBeUndefined();
  });

  it('lists by status through the status index with the same rows as containment alone', async () => {
    const { db } = file.database;
    const proposals = createServiceProposalRepository(db);
    for (const [id, status] of [
      ['status-1', 'sent'],
      ['status-2', 'draft'],
      ['status-3', 'sent'],
    ] as const)
      await proposals.create(id, { client_id: 'client-status', proposal_type: 'consulting', status });
    const sent = await proposals.list({ client_id: 'client-status', status: 'sent' });
    expect(sent.items.map((item) => item.key).sort()).toEqual(['status-1', 'status-3']);
    const index = await sql<{ name: string }>`
      select indexname as name from pg_indexes where indexname = 'ix_service_proposals_status_created_at'`.execute(db);
    expect(index.rows).toHaveLength(1);
  });
});
