// Issue 18: the proposals quote, the document renders and the connector's preview
// timed over HTTP against the running services, p50 and p99 (absolute figures:
// there is no bare equivalent). Each route gets its fixture through the API first
// (route-fixtures.ts), is checked once by fetch, then driven by autocannon: 1 s
// unrecorded warm-up, then the measured window. A route that cannot be timed is
// returned with its reason; the others still run.
import { questionnaireExample } from '../services/demo-config/src/proposal-generator/index.js';
import { load, type Measurement } from './measure.js';
import type { Child } from './processes.js';
import { questionnaire } from './quote.js';
import { AUTHORIZATION } from './production-config.js';
import { table } from './report.js';
import {
  call,
  demoFixtures,
  JSON_HEADERS,
  sourceFixture,
  SOURCE_TABLE,
  type DemoFixtures,
  type SourceFixture,
} from './route-fixtures.js';

export interface RouteTiming extends Measurement {
  readonly route: string;
  /** autocannon connections used for this route. */
  readonly connections: number;
  /** Set when the route could not be timed: why. */
  readonly reason?: string;
}

export interface RouteOptions {
  readonly durationSeconds: number;
  readonly connections: number;
  readonly log: (line: string) => void;
  /** The bench database: the connector preview's source table is made there. */
  readonly databaseUrl: string;
}

/** PDF and Word hold the event loop about 80-100 ms a render: more connections only queue. */
const SLOW_RENDER_CONNECTIONS = 4;
/** Each preview opens its own connection to the source (a PostgreSQL backend): bounded. */
const PREVIEW_CONNECTIONS = 10;
const WARMUP_SECONDS = 1;
/** The figures of a route that could not be timed. */
const NOT_TIMED: Measurement = {
  requestsPerSecond: 0,
  p50: 0,
  p99: 0,
  errors: 0,
  requests: 0,
  peakRssMiB: null,
  cpuMicrosPerRequest: null,
};

interface RouteRequest {
  readonly route: string;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly body?: unknown;
  readonly connections: number;
}

export async function benchRoutes(services: Child, options: RouteOptions): Promise<RouteTiming[]> {
  const { connector, demo } = services.urls;
  if (connector === undefined || demo === undefined) throw new Error('benchRoutes: the services have no urls');
  const { connections, log } = options;
  const timings: RouteTiming[] = [];
  const failed = (route: string, used: number, reason: string) => {
    log(`  ${route}: not timed: ${reason}`);
    timings.push({ ...NOT_TIMED, route, connections: used, reason });
  };
  const time = async (request: RouteRequest) => {
    try {
      timings.push(await timeRoute(request, options));
    } catch (error) {
      failed(request.route, request.connections, message(error));
    }
  };

  let documents: DemoFixtures | undefined;
  try {
    // The document fixture's size is bench/render.ts's (50 objects, 200 KPIs), so the figures compare.
    documents = await demoFixtures(demo, questionnaire(50, 200));
  } catch (error) {
    const reason = `fixture: ${message(error)}`;
    for (const route of ['POST /demo/proposals/quote', 'GET /demo/proposals/:id/document'])
      failed(route, connections, reason);
  }
  if (documents) {
    const quote = `${demo}/demo/proposals/quote`;
    const { clientId, proposalId } = documents;
    const example = questionnaireExample;
    await time({
      route: `POST /demo/proposals/quote (${example.objects.length} objects, ${example.kpis.length} KPIs)`,
      url: quote,
      method: 'POST',
      body: { client_id: clientId, questionnaire: example },
      connections,
    });
    await time({
      route: 'POST /demo/proposals/quote (200 objects, 500 KPIs)',
      url: quote,
      method: 'POST',
      body: { client_id: clientId, questionnaire: questionnaire(200, 500) },
      connections,
    });
    for (const format of ['pdf', 'docx', 'html', 'md'] as const)
      await time({
        route: `GET /demo/proposals/:id/document?format=${format} (50 objects, 200 KPIs)`,
        url: `${demo}/demo/proposals/${proposalId}/document?format=${format}`,
        method: 'GET',
        connections:
          format === 'pdf' || format === 'docx' ? Math.min(connections, SLOW_RENDER_CONNECTIONS) : connections,
      });
    await documents.remove().catch((error: unknown) => {
      log(`  cleanup of the demo fixtures: ${message(error)}`);
    });
  }

  const previewRoute = `POST /connector/profiles/:id/preview (sql, ${SOURCE_TABLE}, 20 rows)`;
  const previewConnections = Math.min(connections, PREVIEW_CONNECTIONS);
  let source: SourceFixture | undefined;
  try {
    source = await sourceFixture(connector, options.databaseUrl);
  } catch (error) {
    failed(previewRoute, previewConnections, `fixture: ${message(error)}`);
  }
  if (source) {
    await time({
      route: previewRoute,
      url: `${connector}/connector/profiles/${source.profileId}/preview`,
      method: 'POST',
      body: { table: SOURCE_TABLE, limit: 20 },
      connections: previewConnections,
    });
    await source.remove().catch((error: unknown) => {
      log(`  cleanup of the preview fixture: ${message(error)}`);
    });
  }
  return timings;
}

async function timeRoute(request: RouteRequest, options: RouteOptions): Promise<RouteTiming> {
  const { route, url, method, connections } = request;
  // Once by fetch first: a route that answers an error is reported with the answer, not timed.
  await call(method, url, request.body, [200]);
  // The same request every time, its body serialised once.
  const sent = { method, ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }) };
  const once = (durationSeconds: number) =>
    load({
      url,
      connections,
      durationSeconds,
      next: () => sent,
      headers: request.body === undefined ? AUTHORIZATION : JSON_HEADERS,
    });
  await once(WARMUP_SECONDS);
  const timing: RouteTiming = { route, connections, ...(await once(options.durationSeconds)) };
  options.log(
    `  ${route}: ${timing.requestsPerSecond.toFixed(0)} req/s, p50 ${timing.p50} ms, p99 ${timing.p99} ms, ` +
      `${timing.errors} errors (${connections} connections)`,
  );
  return timing;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function formatRouteTimings(timings: readonly RouteTiming[]): string {
  const header = ['route', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'err', 'reqs'];
  const rows = timings.map((t) =>
    t.reason === undefined
      ? [
          t.route,
          String(t.connections),
          t.requestsPerSecond.toFixed(0),
          t.p50.toFixed(1),
          t.p99.toFixed(1),
          String(t.errors),
          String(t.requests),
        ]
      : [t.route, String(t.connections), '-', '-', '-', '-', '-'],
  );
  const notes = [
    `PDF and Word at most ${SLOW_RENDER_CONNECTIONS} connections (each render holds the event loop about ` +
      `80-100 ms), the preview at most ${PREVIEW_CONNECTIONS} (each opens a connection to its source).`,
    ...timings.filter((t) => t.reason !== undefined).map((t) => `not timed: ${t.route}: ${t.reason ?? ''}`),
  ];
  return [table(header, rows), ...notes].join('\n');
}
