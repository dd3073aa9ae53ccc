// What a saved connection test records: an audit row (action test, or discover
// when it stored a schema) and the platform's events, connection.tested
// {connection_id, success, error_code} and, after a discovery,
// schema.discovered {connection_id, connection_type, table_count}.
import { changedMembers, type Change, type ChangeEvent } from '@analytics-engine/http';
import type { ConnectorProfile } from '@analytics-engine/storage';
import type { TestResult } from './connection-test/run-test.js';

export function testResultChange(
  id: string,
  before: ConnectorProfile,
  after: ConnectorProfile,
  result: TestResult,
  discovered: { tables: readonly unknown[] } | undefined,
): Change {
  const events: ChangeEvent[] = [
    {
      type: 'connection.tested',
      body: { connection_id: id, success: result.status === 'success', error_code: result.error?.code ?? null },
    },
  ];
  if (discovered) {
    const body = { connection_id: id, connection_type: after.type, table_count: discovered.tables.length };
    events.push({ type: 'schema.discovered', body });
  }
  const action = discovered ? 'discover' : 'test';
  return { resource: 'profile', id, action, changes: changedMembers(before, after), events };
}
