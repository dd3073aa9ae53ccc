// The connector app a connection-test suite talks to: its own database, key k1, a
// log sink, and every response kept, so the suite can prove that no secret it
// sent came back in a response or went to the log.
import { logSink, request, useTestApp, type LogSink, type UsedApp } from '@analytics-engine/http/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { connectorService } from '../src/service.js';
import { keyEntry } from './support.js';

export interface ConnectionTestApp extends UsedApp {
  readonly sink: LogSink;
  /** Every response `call` and `testUnsaved` received. */
  readonly responses: LightMyRequestResponse[];
  /** One request, to the suite's app unless `app` names another; its response kept. */
  readonly call: (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: unknown,
    app?: FastifyInstance,
  ) => Promise<LightMyRequestResponse>;
  /** POST /connector/profiles/test of an unsaved profile named 'probe'. */
  readonly testUnsaved: (body: Record<string, unknown>, app?: FastifyInstance) => Promise<LightMyRequestResponse>;
  /** Fails when a kept response (headers or body) or a log line holds one of `secrets`. */
  readonly expectNoSecret: (secrets: readonly string[]) => void;
}

/** The file's app with CONNECTOR_ENCRYPTION_KEYS and `env`: built in beforeAll, closed in afterAll. */
export function useConnectionTestApp(env: NodeJS.ProcessEnv = {}): ConnectionTestApp {
  const sink = logSink();
  const used = useTestApp(
    connectorService,
    { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1'), ...env },
    { logger: sink.logger },
  );
  const responses: LightMyRequestResponse[] = [];
  const call: ConnectionTestApp['call'] = async (method, url, payload, app = used.app) => {
    const response = await request(app, method, url, payload);
    responses.push(response);
    return response;
  };
  return {
    get app() {
      return used.app;
    },
    get database() {
      return used.database;
    },
    sink,
    responses,
    call,
    testUnsaved: (body, app) => call('POST', '/connector/profiles/test', { name: 'probe', ...body }, app),
    expectNoSecret: (secrets) => {
      for (const text of [...responses.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`), ...sink.lines]) {
        for (const value of secrets) {
          if (text.includes(value)) throw new Error(`a secret leaked into: ${text.slice(0, 300)}`);
        }
      }
    },
  };
}
