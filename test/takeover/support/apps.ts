// Both services over one adopted database, built as production builds them, and
// what a client that reads and writes back (GET, then PUT of what it read) does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, testApp } from '@analytics-engine/http/testing';
import type { OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { connectorService } from '../../../services/connector/src/service.js';
import { demoConfigService } from '../../../services/demo-config/src/service.js';
import { plaintextSecrets } from './legacy-rows.js';

export interface TakeoverApps {
  readonly connector: FastifyInstance;
  readonly demo: FastifyInstance;
  close(): Promise<void>;
}

/** Without encryption keys the Connector uses the development key file in `dataDir`, as the migrator does. */
export async function takeoverApps(
  database: OpenDatabase,
  encryptionKeys: string | undefined,
  dataDir = mkdtempSync(join(tmpdir(), 'takeover-')),
): Promise<TakeoverApps> {
  const env = {
    DATA_DIR: dataDir,
    ...(encryptionKeys === undefined ? {} : { CONNECTOR_ENCRYPTION_KEYS: encryptionKeys }),
  };
  const connector = await testApp(connectorService, database, env);
  const demo = await testApp(demoConfigService, database, env);
  return {
    connector,
    demo,
    close: async () => {
      await connector.close();
      await demo.close();
    },
  };
}

export const resources = {
  profiles: { path: '/connector/profiles', keyName: 'id', app: (apps: TakeoverApps) => apps.connector },
  clients: { path: '/demo/clients', keyName: 'client_id', app: (apps: TakeoverApps) => apps.demo },
  proposals: { path: '/demo/proposals', keyName: 'proposal_id', app: (apps: TakeoverApps) => apps.demo },
} as const;
export type ResourceName = keyof typeof resources;

type Json = Record<string, unknown>;

/** What a client completing an incomplete row supplies, by member needs_completion names. */
export const completions: Json = {
  license_type: 'basic',
  proposal_type: 'implementation',
  type: 'sql',
  name: 'Named',
  client_name: 'Named',
};

export async function getItem(apps: TakeoverApps, resource: ResourceName, key: string): Promise<Json> {
  const { path, app } = resources[resource];
  const response = await request(app(apps), 'GET', `${path}/${encodeURIComponent(key)}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Json>();
}

/**
 * PUT of what was read: the read-only members (timestamps, needs_completion,
 * secrets, password_set) left out, the members needs_completion names
 * supplied, and for a profile the secrets no response shows sent again.
 */
export function bodyToPutBack(resource: ResourceName, key: string, read: Json): Json {
  const { keyName } = resources[resource];
  const body: Json = structuredClone(read);
  for (const member of [keyName, 'created_at', 'updated_at', 'needs_completion', 'secrets'])
    Reflect.deleteProperty(body, member);
  for (const member of (read.needs_completion as string[] | undefined) ?? []) body[member] = completions[member];
  if (resource === 'profiles') {
    const credentials = body.credentials as Json | undefined;
    if (credentials) Reflect.deleteProperty(credentials, 'password_set');
    const secrets = plaintextSecrets.get(key) ?? {};
    const { connection_string, 'credentials.password': password, 'legacy.password': legacyPassword } = secrets;
    if (connection_string !== undefined) body.connection_string = connection_string;
    if (password !== undefined) body.credentials = { ...(body.credentials as Json), password };
    if (legacyPassword !== undefined) body.legacy = { ...(body.legacy as Json), password: legacyPassword };
  }
  return body;
}

export async function putBack(apps: TakeoverApps, resource: ResourceName, key: string, read: Json): Promise<Json> {
  const { path, app } = resources[resource];
  const response = await request(
    app(apps),
    'PUT',
    `${path}/${encodeURIComponent(key)}`,
    bodyToPutBack(resource, key, read),
  );
  expect(response.statusCode, `PUT ${key}: ${response.body}`).toBe(200);
  return response.json<Json>();
}
