// The renames of the Python services' shapes (legacy/python-*.ts): pure, one
// member at a time, and what they cannot rename left where it is.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../src/index.js';
import { fromPythonClient } from '../src/legacy/python-clients.js';
import { fromPythonProfile } from '../src/legacy/python-profiles.js';
import { fromPythonProposal } from '../src/legacy/python-proposals.js';

const python = { id: 'p', name: 'P', username: 'u', password: 'pw', api_url: null, file_path: null };

describe('a Python Connector profile', () => {
  it.each([
    ['sql_postgres', { host: 'db.internal', port: 5432, database: 'erp' }, 'sql', 'postgresql://db.internal:5432/erp'],
    [
      'sql_postgres',
      { host: 'fe80::1', port: '6432', database: 'a b/c' },
      'sql',
      'postgresql://[fe80::1]:6432/a%20b%2Fc',
    ],
    ['sql_postgres', { host: 'db', port: null, database: null }, 'sql', 'postgresql://db/'],
    ['sql_mssql', { host: 'mssql', port: 1433, database: 'WH' }, 'sql', 'Server=mssql,1433;Database=WH;'],
    ['sql_mssql', { host: 'mssql', database: 'a;b}' }, 'sql', 'Server=mssql;Database={a;b}}};'],
    ['rest_api', { api_url: 'https://api.example.com/x', host: null }, 'api', 'https://api.example.com/x'],
    ['excel_file', { file_path: 'f/b.xlsx' }, 'excel', 'f/b.xlsx'],
  ])(
    '%s %j becomes %s with connection_string %s, credentials from username and password',
    (type, members, current, built) => {
      const mapped = fromPythonProfile('p', { ...python, type, ...members });
      expect(mapped).toEqual({
        name: 'P',
        type: current,
        connection_string: built,
        credentials: { username: 'u', password: 'pw' },
      });
    },
  );

  const current = { name: 'P', type: 'api', connection_string: 'https://x', credentials: { password: 'enc:v1:k:a:b' } };
  // What the current shape names, in a row that also has the Python username and password.
  const alreadyCurrent = {
    host: 'h',
    connection_string: 'postgres://x/y',
    credentials: { username: 'u', password: 'new' },
  };

  it.each<[string, JsonObject, JsonObject]>([
    [
      'keeps what it cannot build a connection string from, and an id that is not the key',
      { id: 'other', name: 'P', type: 'sql_postgres', host: 'bad host/x', port: 70_000, database: 'd' },
      { id: 'other', name: 'P', type: 'sql', host: 'bad host/x', port: 70_000, database: 'd' },
    ],
    [
      'keeps a type it does not know',
      { name: 'P', type: 'sql_oracle', host: 'ora' },
      { name: 'P', type: 'sql_oracle', host: 'ora' },
    ],
    [
      'leaves the connection_string and credentials a row has; a password that disagrees stays beside them',
      { name: 'P', type: 'sql_postgres', username: 'u', password: 'old', ...alreadyCurrent },
      { name: 'P', type: 'sql', password: 'old', ...alreadyCurrent },
    ],
    [
      'reads a numeric password as text',
      { name: 'P', type: 'sql', password: 1234 },
      { name: 'P', type: 'sql', credentials: { password: '1234' } },
    ],
    [
      'adds no credentials when there are none',
      { name: 'P', type: 'sql', username: null, password: null },
      { name: 'P', type: 'sql' },
    ],
    ['leaves a current profile as it is', current, current],
  ])('%s', (_title, row, mapped) => {
    expect(fromPythonProfile('p', row)).toEqual(mapped);
  });
});

describe('a Python Demo Config client', () => {
  it('drops a client_id equal to the key and keeps everything else as it is', () => {
    const row = { id: 'uuid', client_id: 'c', client_name: 'Acme', selected_kpis: ['POF'], license_key: null };
    expect(fromPythonClient('c', row)).toEqual({
      id: 'uuid',
      client_name: 'Acme',
      selected_kpis: ['POF'],
      license_key: null,
    });
    expect(fromPythonClient('c', { client_id: 'other' })).toEqual({ client_id: 'other' });
  });
});

describe('a Python Demo Config proposal', () => {
  const row = {
    id: 'prop',
    client_id: 'c',
    required_objects: ['Customer'],
    integration_method: 'batch',
    estimated_hours: 16,
    estimated_cost: 2400,
    timeline_weeks: 4,
    status: 'signed',
    breakdown: { kpi_count: 2, hourly_rate: 150, phases: [{ name: 'Discovery', weeks: 1 }] },
    created_at: '2025-12-22T10:00:00',
  };

  it('renames signed, the estimate and its breakdown to the current members', () => {
    expect(fromPythonProposal('prop', row)).toEqual({
      client_id: 'c',
      required_objects: ['Customer'],
      integration_method: 'batch',
      status: 'accepted',
      pricing: { total: 2400 },
      resources: { hours: 16 },
      timeline: { weeks: 4, phases: [{ name: 'Discovery', weeks: 1 }] },
      estimate: { kpi_count: 2, hourly_rate: 150 },
      created_at: '2025-12-22T10:00:00',
    });
  });

  it('leaves a member whose place is taken where it is, and an absent status means draft', () => {
    const taken = {
      client_id: 'c',
      estimated_cost: 1,
      pricing: { total: 2 },
      breakdown: { phases: [1] },
      timeline: { phases: [2] },
    };
    expect(fromPythonProposal('x', taken)).toEqual({
      client_id: 'c',
      estimated_cost: 1,
      pricing: { total: 2 },
      timeline: { phases: [2] },
      estimate: { phases: [1] },
      status: 'draft',
    });
  });
});
