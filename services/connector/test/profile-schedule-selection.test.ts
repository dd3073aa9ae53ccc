// schedule and selected_tables on /connector/profiles: a schedule checked whole
// (croner for custom cron, HH:MM, IANA zones) with its next three runs on every
// read; selected tables checked against the stored schema_info (422 naming the
// table); rows the Python Connector wrote read as they are.
import { request, useTestApp } from '@analytics-engine/http/testing';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { nextRuns } from '../src/schedule.js';
import { connectorService } from '../src/service.js';
import { keyEntry, type ErrorBody } from './support.js';

const connector = useTestApp(connectorService, { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1') });

const schemaInfo = {
  tables: [
    { schema: 'public', name: 'orders', kind: 'table', row_estimate: 10, columns: [] },
    { schema: 'public', name: 'customers', kind: 'table', row_estimate: 3, columns: [] },
  ],
};
const create = (id: string, extra: Record<string, unknown> = {}) =>
  request(connector.app, 'POST', '/connector/profiles', { id, name: id, type: 'sql', ...extra });
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('schedule', () => {
  it('stores a nightly schedule and shows its next three runs in UTC on every read', async () => {
    const schedule = { frequency: 'daily', time: '02:00', timezone: 'Europe/Berlin', active: true };
    const created = await create('nightly', { schedule });
    expect(created.statusCode, created.body).toBe(201);
    const runs = created.json().schedule.next_runs as string[];
    expect(created.json().schedule).toMatchObject(schedule);
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run).toMatch(ISO_UTC);
      // 02:00 in Berlin is 01:00 UTC in winter, 00:00 UTC in summer.
      expect(['01:00', '00:00']).toContain(run.slice(11, 16));
    }
    expect(Date.parse(runs[0]!)).toBeGreaterThan(Date.now());
    expect(Date.parse(runs[1]!) - Date.parse(runs[0]!)).toBeGreaterThanOrEqual(23 * 3600_000);
    const read = await request(connector.app, 'GET', '/connector/profiles/nightly');
    expect(read.json().schedule.next_runs).toEqual(runs);
    const listed = await request(connector.app, 'GET', '/connector/profiles');
    const items = listed.json<{ items: { id: string; schedule?: { next_runs: string[] } }[] }>().items;
    expect(items.find((p) => p.id === 'nightly')?.schedule?.next_runs).toEqual(runs);
  });

  it('computes weekly, custom and paused runs (pure)', () => {
    const now = new Date('2026-01-07T12:00:00Z'); // a Wednesday
    expect(nextRuns({ frequency: 'weekly', time: '06:30', day_of_week: 'friday' }, now)).toEqual([
      '2026-01-09T06:30:00.000Z',
      '2026-01-16T06:30:00.000Z',
      '2026-01-23T06:30:00.000Z',
    ]);
    expect(nextRuns({ frequency: 'weekly', time: '06:30' }, now)[0]).toBe('2026-01-12T06:30:00.000Z'); // monday
    expect(
      nextRuns({ frequency: 'custom', cron_expression: '*/15 9 * * 1-5', timezone: 'America/New_York' }, now),
    ).toEqual(['2026-01-07T14:00:00.000Z', '2026-01-07T14:15:00.000Z', '2026-01-07T14:30:00.000Z']);
    expect(nextRuns({ frequency: 'daily', time: '02:00', active: false }, now)).toEqual([]);
    expect(nextRuns({ frequency: 'manual' }, now)).toEqual([]);
    expect(nextRuns({ frequency: 'custom', cron_expression: 'not a cron' }, now)).toEqual([]);
  });

  it('refuses a bad cron expression with a 400 naming the field, on create, replace and patch', async () => {
    const bad = { frequency: 'custom', cron_expression: '61 * * * *' };
    const created = await create('bad-cron', { schedule: bad });
    expect(created.statusCode).toBe(400);
    expect(created.json<ErrorBody>().details.map((d) => d.path)).toContain('body.schedule.cron_expression');
    expect(created.json<ErrorBody>().message).toContain('minute');

    expect((await create('cron', { schedule: { frequency: 'custom', cron_expression: '0 3 * * *' } })).statusCode).toBe(
      201,
    );
    const patched = await request(connector.app, 'PATCH', '/connector/profiles/cron', {
      schedule: { cron_expression: 'every day' },
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json<ErrorBody>().details[0]?.path).toBe('body.schedule.cron_expression');
    const replaced = await request(connector.app, 'PUT', '/connector/profiles/cron', {
      name: 'cron',
      type: 'sql',
      schedule: bad,
    });
    expect(replaced.statusCode).toBe(400);
    expect((await request(connector.app, 'GET', '/connector/profiles/cron')).json().schedule.cron_expression).toBe(
      '0 3 * * *',
    );
  });

  it('checks the merged schedule: what a frequency needs, HH:MM, the time zone', async () => {
    await create('merge', { schedule: { frequency: 'daily', time: '02:00' } });
    const custom = await request(connector.app, 'PATCH', '/connector/profiles/merge', {
      schedule: { frequency: 'custom' },
    });
    expect(custom.statusCode).toBe(400);
    expect(custom.json<ErrorBody>().details).toEqual([
      { path: 'body.schedule.cron_expression', message: 'is required when frequency is custom' },
    ]);
    const dropTime = await request(connector.app, 'PATCH', '/connector/profiles/merge', { schedule: { time: null } });
    expect(dropTime.json<ErrorBody>().details[0]?.path).toBe('body.schedule.time');
    const cases: [Record<string, unknown>, string][] = [
      [{ frequency: 'daily', time: '2:00' }, 'body.schedule.time'],
      [{ frequency: 'daily', time: '24:00' }, 'body.schedule.time'],
      [{ frequency: 'daily', time: '02:00', timezone: 'Mars/Olympus' }, 'body.schedule.timezone'],
      [{ frequency: 'hourly' }, 'body.schedule.frequency'],
      [{ frequency: 'daily', time: '02:00', every: 2 }, 'body.schedule'],
    ];
    for (const [schedule, path] of cases) {
      const response = await create('never', { schedule });
      expect(response.statusCode, JSON.stringify(schedule)).toBe(400);
      expect(
        response
          .json<ErrorBody>()
          .details.map((d) => d.path)
          .join(),
        JSON.stringify(schedule),
      ).toContain(path);
    }
    // Switching to custom with a cron in the same patch is one change; the time stays, unused.
    const switched = await request(connector.app, 'PATCH', '/connector/profiles/merge', {
      schedule: { frequency: 'custom', cron_expression: '0 4 * * 0' },
    });
    expect(switched.statusCode, switched.body).toBe(200);
    expect(switched.json().schedule).toMatchObject({
      frequency: 'custom',
      time: '02:00',
      cron_expression: '0 4 * * 0',
    });
  });

  it('takes a schedule back as it was read (next_runs ignored, not stored)', async () => {
    const created = await create('echo', { schedule: { frequency: 'daily', time: '05:00' } });
    const { id: _id, created_at: _c, updated_at: _u, secrets: _s, ...body } = created.json();
    const replaced = await request(connector.app, 'PUT', '/connector/profiles/echo', body);
    expect(replaced.statusCode, replaced.body).toBe(200);
    const row = await sql<{ profile_data: { schedule: Record<string, unknown> } }>`
      select profile_data from connector_profiles where id = 'echo'`.execute(connector.database.db);
    expect(row.rows[0]?.profile_data.schedule).toEqual({ frequency: 'daily', time: '05:00' });
  });
});

describe('selected_tables', () => {
  it('accepts tables of the stored schema_info and refuses others with a 422 naming them', async () => {
    const created = await create('picked', { schema_info: schemaInfo, selected_tables: ['public.orders'] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().selected_tables).toEqual(['public.orders']);

    const unknown = await request(connector.app, 'PATCH', '/connector/profiles/picked', {
      selected_tables: ['public.orders', 'public.invoices', 'orders'],
    });
    expect(unknown.statusCode).toBe(422);
    const body = unknown.json<ErrorBody>();
    expect(body.code).toBe('UNKNOWN_TABLE');
    expect(body.message).toContain("'public.invoices'");
    expect(body.details.map((d) => d.path)).toEqual(['body.selected_tables.1', 'body.selected_tables.2']);

    const both = await request(connector.app, 'PATCH', '/connector/profiles/picked', {
      selected_tables: ['public.orders', 'public.customers'],
    });
    expect(both.statusCode).toBe(200);
    expect(both.json().selected_tables).toEqual(['public.orders', 'public.customers']);

    const onCreate = await create('picked-2', { schema_info: schemaInfo, selected_tables: ['sales.orders'] });
    expect(onCreate.statusCode).toBe(422);
    expect((await request(connector.app, 'GET', '/connector/profiles/picked-2')).statusCode).toBe(404);
    expect((await create('dupes', { selected_tables: ['a', 'a'] })).statusCode).toBe(400);
  });

  it('takes any names while there is no schema_info, and keeps a selection the schema no longer holds', async () => {
    expect((await create('blind', { selected_tables: ['anything.goes'] })).statusCode).toBe(201);
    // A rediscovery without public.customers: the selection stays, other writes still work.
    await create('shrunk', { schema_info: schemaInfo, selected_tables: ['public.orders', 'public.customers'] });
    const rediscovered = await request(connector.app, 'PATCH', '/connector/profiles/shrunk', {
      schema_info: { tables: [schemaInfo.tables[0]] },
    });
    expect(rediscovered.statusCode, rediscovered.body).toBe(200);
    expect(rediscovered.json().selected_tables).toEqual(['public.orders', 'public.customers']);
    const renamed = await request(connector.app, 'PATCH', '/connector/profiles/shrunk', { name: 'Renamed' });
    expect(renamed.statusCode).toBe(200);
    // Sending the selection back as read is not a new choice; adding an unknown table is.
    const same = await request(connector.app, 'PATCH', '/connector/profiles/shrunk', {
      selected_tables: ['public.customers'],
    });
    expect(same.statusCode).toBe(200);
    const added = await request(connector.app, 'PATCH', '/connector/profiles/shrunk', {
      selected_tables: ['public.customers', 'x'],
    });
    expect(added.statusCode).toBe(422);
  });
});

describe('rows the Python Connector wrote', () => {
  it('reads their schedule and selected_tables as they are, with next runs', async () => {
    const data = {
      name: 'Legacy',
      type: 'sql_postgres',
      host: 'db.example.com',
      schedule: { frequency: 'daily', time: '03:15', cron_expression: null, active: true },
      selected_tables: ['orders', 'customers'],
      schema_info: [
        { name: 'orders', columns: [{ name: 'id', data_type: 'integer', is_nullable: false, is_primary_key: true }] },
      ],
    };
    await sql`insert into connector_profiles (id, profile_data) values ('py', ${JSON.stringify(data)}::jsonb)`.execute(
      connector.database.db,
    );
    const read = await request(connector.app, 'GET', '/connector/profiles/py');
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({
      type: 'sql',
      schedule: { frequency: 'daily', time: '03:15', cron_expression: null, active: true },
      selected_tables: ['orders', 'customers'],
    });
    const runs = read.json<{ schedule: { next_runs: string[] } }>().schedule.next_runs;
    expect(runs.map((run) => run.slice(11, 16))).toEqual(['03:15', '03:15', '03:15']);
    // A schedule the current shape refuses is kept under legacy, not lost.
    const odd = { name: 'Odd', type: 'sql', schedule: { frequency: 'hourly', time: '3am' } };
    await sql`insert into connector_profiles (id, profile_data) values ('py-odd', \
${JSON.stringify(odd)}::jsonb)`.execute(connector.database.db);
    const oddRead = await request(connector.app, 'GET', '/connector/profiles/py-odd');
    expect(oddRead.statusCode).toBe(200);
    expect(JSON.stringify(oddRead.json().legacy)).toContain('hourly');
  });
});
