// Service instances as production runs them (runServices: configuration from the
// environment, the database opened, the migrations run at boot, both services
// listening on free ports), several in this process: each has its own pool and
// its own boot, so to the database they are separate instances.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectorService } from '@analytics-engine/connector';
import { demoConfigService } from '@analytics-engine/demo-config';
import { runServices } from '@analytics-engine/http';
import { TEST_ENV } from '@analytics-engine/http/testing';
import { keyEntry } from '../../../services/connector/test/support.js';

export interface Instance {
  readonly connectorUrl: string;
  readonly demoConfigUrl: string;
  close(): Promise<void>;
}

/** What instances of one deployment share: the Connector's key and a data directory (the licence signing key). */
export function deploymentEnv(): { env: NodeJS.ProcessEnv; dispose(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'ae-scale-out-'));
  return {
    env: {
      ...TEST_ENV,
      HOST: '127.0.0.1',
      CONNECTOR_PORT: '0',
      DEMO_CONFIG_PORT: '0',
      DATA_DIR: dataDir,
      CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1'),
    },
    dispose: () => {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startInstance(env: NodeJS.ProcessEnv): Promise<Instance> {
  const running = await runServices([connectorService, demoConfigService], env);
  const [connectorUrl, demoConfigUrl] = running.urls;
  if (!connectorUrl || !demoConfigUrl) throw new Error(`unexpected listeners: ${running.urls.join(', ')}`);
  return { connectorUrl, demoConfigUrl, close: () => running.close() };
}

/** JSON in and out; `json` is undefined when the body is not JSON (a 204). */
export async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, headers: response.headers };
}
