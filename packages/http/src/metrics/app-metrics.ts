// One app's metrics, in a registry of its own (tests build many apps in one
// process; prom-client's global registry would mix them). What records a value
// lives where the event happens: the request hook, the protections, the error
// handler, and the services through ServiceContext.metrics.
import { databaseUnavailability, type OpenDatabase } from '@analytics-engine/storage';
import type { FastifyBaseLogger } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiError } from '../api-error.js';
import { registerProcessMetrics } from './process-metrics.js';

/** What a service may record or add. */
export interface ServiceMetrics {
  /** Counts one connection test by its outcome: 'success', or the code it failed with (e.g. 'auth_failed'). */
  connectionTestOutcome(code: string): void;
  /** A gauge read at every scrape (e.g. the outbox backlog); a read that fails shows NaN and is logged. */
  addGauge(gauge: GaugeDefinition): void;
  /** The app's registry, for anything the two methods above do not cover. */
  readonly registry: Registry;
}

export interface GaugeDefinition {
  /** A Prometheus metric name, e.g. events_outbox_backlog. */
  readonly name: string;
  readonly help: string;
  readonly read: () => number | Promise<number>;
}

/** What the protections record: sheds, rate-limit refusals and the requests in flight. */
export interface ProtectionMetrics {
  /** reason: in_flight, or under-pressure's check in snake case (event_loop_delay). */
  shed(reason: string): void;
  rateLimited(by: 'key' | 'address'): void;
  /** Where the in-flight gauge reads its value at each scrape. */
  inFlightFrom(read: () => number): void;
}

export interface AppMetrics extends ServiceMetrics, ProtectionMetrics {
  /** One answered request: its route template (or UNMATCHED), status, and time taken in seconds. */
  request(method: string, route: string, statusCode: number, seconds: number): void;
  /** Counts an error answered with a 5xx when it came from the database, by the answer's code. */
  databaseError(error: unknown, answer: ApiError): void;
}

/** The route label of a request no route matched: never the raw URL, which anyone may vary without end. */
export const UNMATCHED = 'unmatched';

/** From 1 ms (a cached get) to 10 s (a request that waited on the pool, then timed out). */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
type PoolStats = ReturnType<NonNullable<OpenDatabase['poolStats']>>;
/** Embedded PGlite: one connection, no pool. */
const EMBEDDED_POOL: PoolStats = { size: 1, idle: 0, waiting: 0, max: 1 };
const REQUEST_LABELS = ['method', 'route', 'status_class'] as const;
type RequestLabel = (typeof REQUEST_LABELS)[number];

export interface AppMetricsOptions {
  /** Added to every series as service="...": both services may run in one process. */
  readonly service: string;
  readonly database: OpenDatabase;
  readonly log: FastifyBaseLogger;
}

export function createAppMetrics({ service, database, log }: AppMetricsOptions): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const registers = [registry];
  registerProcessMetrics(registry);

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests answered, by method, route template and status class',
    labelNames: REQUEST_LABELS,
    registers,
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by method, route template and status class',
    labelNames: REQUEST_LABELS,
    buckets: DURATION_BUCKETS,
    registers,
  });
  /** Route labels are templates, so the label sets are few: one entry per method, route and status class. */
  const requestSeries = new Map<string, { count: Counter.Internal; time: Histogram.Internal<RequestLabel> }>();
  let readInFlight = () => 0;
  const inFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'API requests being handled now (what MAX_IN_FLIGHT bounds; health, docs and metrics not included)',
    registers,
    collect: () => {
      inFlight.set(readInFlight());
    },
  });
  /** A counter of one label: the shape of every count below. */
  const labelledCounter = (name: string, help: string, label: string) =>
    new Counter({ name, help, labelNames: [label], registers });
  const sheds = labelledCounter(
    'http_requests_shed_total',
    'Requests refused with 503 OVERLOADED, by reason (in_flight, event_loop_delay)',
    'reason',
  );
  const rateLimited = labelledCounter(
    'http_rate_limited_total',
    'Requests refused with 429 RATE_LIMITED, by what was counted (key, or address for requests without one)',
    'by',
  );
  const databaseErrors = labelledCounter(
    'database_errors_total',
    'Database errors answered with a 5xx, by the answer code (DATABASE_UNAVAILABLE, QUERY_TIMEOUT, ...)',
    'code',
  );
  const connectionTests = labelledCounter(
    'connection_tests_total',
    "Connection tests run, by outcome: 'success' or the error code",
    'code',
  );
  const pool = () => database.poolStats?.() ?? EMBEDDED_POOL;
  const poolGauge = (name: string, help: string, read: (stats: PoolStats) => number) => {
    const gauge: Gauge = new Gauge({
      name,
      help,
      registers,
      collect: () => {
        gauge.set(read(pool()));
      },
    });
  };
  poolGauge('database_pool_size', 'Database connections open, idle or in use (embedded: 1)', (stats) => stats.size);
  poolGauge('database_pool_idle', 'Database connections open and idle', (stats) => stats.idle);
  poolGauge('database_pool_waiting', 'Queries waiting for a database connection', (stats) => stats.waiting);
  poolGauge('database_pool_max', 'The most database connections the pool opens', (stats) => stats.max);

  return {
    registry,
    request(method, route, statusCode, seconds) {
      const statusClass = `${String(Math.floor(statusCode / 100))}xx`;
      // The series of a label set, looked up by one string: prom-client hashes a label object on every call.
      const name = `${method} ${route} ${statusClass}`;
      let series = requestSeries.get(name);
      if (series === undefined) {
        const labels = { method, route, status_class: statusClass };
        series = { count: requests.labels(labels), time: duration.labels(labels) };
        requestSeries.set(name, series);
      }
      series.count.inc();
      series.time.observe(seconds);
    },
    shed(reason) {
      sheds.inc({ reason });
    },
    rateLimited(by) {
      rateLimited.inc({ by });
    },
    inFlightFrom(read) {
      readInFlight = read;
    },
    databaseError(error, answer) {
      if (answer.statusCode >= 500 && fromDatabase(error)) databaseErrors.inc({ code: answer.code });
    },
    connectionTestOutcome(code) {
      // A label value is a series of its own: anything but a short code is counted as 'other'.
      connectionTests.inc({ code: /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : 'other' });
    },
    addGauge({ name, help, read }) {
      const gauge: Gauge = new Gauge({
        name,
        help,
        registers,
        collect: async () => {
          try {
            gauge.set(await read());
          } catch (error) {
            // One failing read must not fail the scrape of every other metric.
            gauge.set(Number.NaN);
            log.warn({ err: error, metric: name }, 'a metric could not be read');
          }
        },
      });
    },
  };
}

/** An outage (storage's classification) or an error PostgreSQL raised (a SQLSTATE with a severity). */
function fromDatabase(error: unknown): boolean {
  if (databaseUnavailability(error) !== undefined) return true;
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  return typeof severity === 'string' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
