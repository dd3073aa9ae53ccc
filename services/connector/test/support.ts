// Shared by the connector tests: keys, the guide's bodies, and response types.
import { randomBytes } from 'node:crypto';

/** A `keyId:base64` entry with a fresh random key. */
export function keyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** The guide's "Test Connector Service" body, exactly as written there. */
export const guideBody = `{
    "id": "test-sql-connection",
    "name": "Test SQL Server",
    "type": "sql",
    "connection_string": "Server=localhost;Database=test;",
    "credentials": {
      "username": "testuser",
      "password": "testpass"
    }
  }`;

/** The guide's "Data Persistence Verification" body. */
export const persistBody = '{"id": "persist-test", "name": "Persistence Test", "type": "sql"}';

/** Response bodies, typed for assertions. */
export interface ProfileBody {
  id: string;
  connection_string?: string;
  [field: string]: unknown;
}
export interface PageBody {
  items: ProfileBody[];
  next_cursor: string | null;
}
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: { path: string; message: string }[];
}
