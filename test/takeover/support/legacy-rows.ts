// The rows a live Python-era database holds in the guide's three tables: the
// shapes the Python services dumped (../shared/reference/upstream-python-stack.md),
// rows written by hand after the guide, and the odd ones a takeover must survive
// (an unknown type, a licence type the guide does not know, a member nobody
// names). Every plaintext secret in them is listed, for the raw-SQL checks.

export interface LegacyRow {
  readonly key: string;
  readonly data: Record<string, unknown>;
  readonly createdAt: string;
}

/** Where a write sends a secret. */
export type SecretMember = 'connection_string' | 'credentials.password' | 'legacy.password';

export const profiles: LegacyRow[] = [
  {
    key: 'erp-db',
    createdAt: '2025-12-22T09:00:00Z',
    data: {
      id: 'erp-db',
      name: 'ERP',
      type: 'sql_postgres',
      host: 'db.internal',
      port: 5432,
      database: 'erp',
      username: 'etl',
      password: 'pg-Secret-1',
      api_url: null,
      file_path: null,
      extra_params: { sslmode: 'require', connect_timeout: 10 },
      schedule: { frequency: 'daily', time: '02:00', cron_expression: null, active: true },
      selected_tables: ['customers', 'orders'],
    },
  },
  {
    key: 'warehouse',
    createdAt: '2025-12-22T09:00:01Z',
    data: {
      id: 'warehouse',
      name: 'Warehouse',
      type: 'sql_mssql',
      host: 'mssql.internal',
      port: '1433',
      database: 'WH;Main',
      username: 'sa',
      password: 'ms-Secret-2',
      api_url: null,
      file_path: null,
      extra_params: {},
    },
  },
  {
    key: 'crm-api',
    createdAt: '2025-12-22T09:00:02Z',
    data: {
      id: 'crm-api',
      name: 'CRM',
      type: 'rest_api',
      host: null,
      port: null,
      database: null,
      username: 'crm-user',
      password: 'api-Secret-3',
      api_url: 'https://crm.example.com/api/v2/accounts',
      file_path: null,
      extra_params: { page_size: 100 },
      schedule: { frequency: 'custom', time: null, cron_expression: '0 2 * * *', active: false },
    },
  },
  {
    key: 'budget-sheet',
    createdAt: '2025-12-22T09:00:03Z',
    data: {
      id: 'budget-sheet',
      name: 'Budget',
      type: 'excel_file',
      host: null,
      port: null,
      database: null,
      username: null,
      password: null,
      api_url: null,
      file_path: 'finance/budget-2026.xlsx',
      extra_params: null,
      selected_tables: ['Q1', 'Q2'],
    },
  },
  {
    // The guide's own curl body, written with plaintext secrets before sealing existed.
    key: 'test-sql-connection',
    createdAt: '2025-12-22T09:00:04Z',
    data: {
      name: 'Test SQL Server',
      type: 'sql',
      connection_string: 'Server=localhost;Database=test;User Id=testuser;Password=cs-Secret-4;',
      credentials: { username: 'testuser', password: 'testpass-Secret-5' },
      schema_info: { tables: [{ name: 'orders' }], columns: { orders: ['id', 'total'] }, discovered_by: 'hand' },
      test_status: 'success',
      last_tested: '2025-12-22T10:00:00Z',
    },
  },
  { key: 'persist-test', createdAt: '2025-12-22T09:00:05Z', data: { name: 'Persistence Test', type: 'sql' } },
  {
    // A Python row someone edited by hand: its id differs from the key, credentials were added beside the
    // Python password (and disagree with it), and a member nobody names.
    key: 'edited-by-hand',
    createdAt: '2025-12-22T09:00:06Z',
    data: {
      id: 'edited-original',
      name: 'Edited',
      type: 'sql_postgres',
      host: '10.1.2.3',
      port: 6432,
      database: 'sales',
      username: 'ops',
      password: 'old-Secret-6',
      credentials: { username: 'ops', password: 'new-Secret-7' },
      owner: 'data-team',
    },
  },
  {
    // A type the current service does not know: kept, and the profile asks for a type.
    key: 'oracle-db',
    createdAt: '2025-12-22T09:00:07Z',
    data: {
      id: 'oracle-db',
      name: 'Oracle',
      type: 'sql_oracle',
      host: 'ora.internal',
      port: 1521,
      database: 'ORCL',
      username: 'scott',
      password: 'tiger-Secret-8',
    },
  },
];

export const clients: LegacyRow[] = [
  {
    key: '5b0c8f3e-9a51-4c1e-8a57-3b4f4c6b2a10',
    createdAt: '2025-12-22T10:00:00Z',
    data: {
      id: 'a1f5e2c4-1111-4d2b-9c3a-5e6f7a8b9c0d',
      client_id: '5b0c8f3e-9a51-4c1e-8a57-3b4f4c6b2a10',
      client_name: 'Acme',
      selected_kpis: ['POF', 'OTD'],
      custom_kpis: [],
      data_sources: [{ profile_id: 'erp-db', tables: ['customers'] }],
      deployment_config: { mode: 'cloud', region: 'eu-central-1', users: 25 },
      license_key: null,
      license_expiration: null,
      created_at: '2025-12-22T10:00:00',
      updated_at: '2025-12-22T10:00:00',
    },
  },
  {
    key: '7d1e9a2b-2222-4e3f-8a4b-6c7d8e9f0a1b',
    createdAt: '2025-12-22T10:00:01Z',
    data: {
      id: 'b2a6f3d5-2222-4e3c-8d4b-6f7a8b9c0d1e',
      client_id: '7d1e9a2b-2222-4e3f-8a4b-6c7d8e9f0a1b',
      client_name: 'Globex',
      selected_kpis: ['DSO'],
      custom_kpis: [{ name: 'Cash conversion', formula: 'DSO + DIO - DPO' }],
      data_sources: [],
      deployment_config: { mode: 'on_premises' },
      license_key:
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3ZDFlOWEyYiIsIm1vZHVsZXMiOlsiU0NPUiJdLCJpc3MiOiJBbmFseXRpY3NFbmdpbmUifQ.c2ln',
      license_expiration: '2026-12-31T00:00:00',
      created_at: '2025-12-22T10:00:01',
      updated_at: '2025-12-23T08:30:00.123456',
    },
  },
  {
    key: 'test-client-001',
    createdAt: '2025-12-22T10:00:02Z',
    data: {
      client_name: 'Test Corporation',
      license_type: 'professional',
      modules: ['SCOR', 'CRM'],
      preferences: { currency: 'EUR', nested: { deep: [1, 'two', null] } },
    },
  },
  {
    // A licence type the guide does not know: kept, and the client asks for one.
    key: 'gold-client',
    createdAt: '2025-12-22T10:00:03Z',
    data: { client_name: 'Gold Ltd', license_type: 'gold', modules: ['SCOR'] },
  },
];

export const proposals: LegacyRow[] = [
  {
    key: 'c3d4e5f6-3333-4a5b-8c6d-7e8f9a0b1c2d',
    createdAt: '2025-12-22T11:00:00Z',
    data: {
      id: 'c3d4e5f6-3333-4a5b-8c6d-7e8f9a0b1c2d',
      client_id: '5b0c8f3e-9a51-4c1e-8a57-3b4f4c6b2a10',
      required_objects: ['Customer', 'Order'],
      integration_method: 'batch',
      estimated_hours: 16,
      estimated_cost: 2400.0,
      timeline_weeks: 4,
      status: 'signed',
      breakdown: {
        kpi_count: 2,
        object_count: 2,
        hours_per_object: 8,
        hourly_rate: 150.0,
        phases: [
          { name: 'Discovery & Planning', weeks: 1 },
          { name: 'Integration', weeks: 3 },
        ],
      },
      created_at: '2025-12-22T11:00:00',
    },
  },
  {
    key: 'd4e5f6a7-4444-4b6c-9d7e-8f9a0b1c2d3e',
    createdAt: '2025-12-22T11:00:01Z',
    data: {
      id: 'd4e5f6a7-4444-4b6c-9d7e-8f9a0b1c2d3e',
      client_id: '7d1e9a2b-2222-4e3f-8a4b-6c7d8e9f0a1b',
      required_objects: ['Invoice'],
      integration_method: 'real_time',
      estimated_hours: 8,
      estimated_cost: 1200.5,
      timeline_weeks: 2,
      status: 'draft',
      breakdown: { kpi_count: 1, object_count: 1, hours_per_object: 8, hourly_rate: 150.0625 },
      created_at: '2025-12-22T11:00:01',
    },
  },
  {
    key: 'prop-001',
    createdAt: '2025-12-22T11:00:02Z',
    data: {
      client_id: 'test-client-001',
      proposal_type: 'implementation',
      pricing: { total: 48000, breakdown: { licenses: 18000, implementation: 30000 }, currency: 'EUR' },
      timeline: {
        start_date: '2026-01-05',
        end_date: '2026-03-27',
        phases: [{ name: 'Build', weeks: 8 }],
        milestones: ['kick-off'],
      },
      resources: { consultants: ['Lead consultant'], hours: 320, roles: { lead: 1 } },
      status: 'sent',
    },
  },
  {
    key: 'prop-002',
    createdAt: '2025-12-22T11:00:03Z',
    data: { client_id: 'test-client-001', proposal_type: 'consulting', status: 'draft' },
  },
];

/**
 * The secrets each profile row holds in plaintext, by its key and where a write sends them: what a PUT must send
 * again, since no response shows them.
 */
export const plaintextSecrets: ReadonlyMap<string, Partial<Record<SecretMember, string>>> = new Map([
  ['erp-db', { 'credentials.password': 'pg-Secret-1' }],
  ['warehouse', { 'credentials.password': 'ms-Secret-2' }],
  ['crm-api', { 'credentials.password': 'api-Secret-3' }],
  [
    'test-sql-connection',
    {
      connection_string: 'Server=localhost;Database=test;User Id=testuser;Password=cs-Secret-4;',
      'credentials.password': 'testpass-Secret-5',
    },
  ],
  ['edited-by-hand', { 'legacy.password': 'old-Secret-6', 'credentials.password': 'new-Secret-7' }],
  ['oracle-db', { 'credentials.password': 'tiger-Secret-8' }],
]);

/** The distinctive part of every plaintext secret: none may appear in any stored row afterwards. */
export const secretMarkers = [
  'Secret-1',
  'Secret-2',
  'Secret-3',
  'Secret-4',
  'Secret-5',
  'Secret-6',
  'Secret-7',
  'Secret-8',
];
