// Apps for the security tests: both services over one test database, built
// exactly as production builds them, with a log sink that keeps every line.
import { randomBytes } from 'node:crypto';
import { connectorService } from '@analytics-engine/connector';
import { demoConfigService } from '@analytics-engine/demo-config';
import { logSink, testApp } from '@analytics-engine/http/testing';
import type { OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { keyEntry } from '../../services/connector/test/support.js';

/** A fresh token of the given scope, and its API_KEYS entry. */
export function apiKey(scope: 'read' | 'write' | 'admin') {
  const token = randomBytes(24).toString('base64url');
  return { token, entry: `${scope}:${token}`, auth: { authorization: `Bearer ${token}` } };
}

export interface SecuredApps {
  readonly connector: FastifyInstance;
  readonly demo: FastifyInstance;
  /** Every log line both apps wrote. */
  readonly logLines: string[];
  close(): Promise<void>;
}

export async function securedApps(database: OpenDatabase, env: NodeJS.ProcessEnv): Promise<SecuredApps> {
  const { logger, lines: logLines } = logSink();
  const fullEnv = { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1'), ...env };
  const connector = await testApp(connectorService, database, fullEnv, { logger });
  const demo = await testApp(demoConfigService, database, fullEnv, { logger });
  return {
    connector,
    demo,
    logLines,
    close: async () => {
      await Promise.all([connector.close(), demo.close()]);
    },
  };
}
