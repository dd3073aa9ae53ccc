// Sends fuzz requests into an app and judges each answer: no 5xx, every 4xx in
// the one error body shape (a validation error names the field), no secret in
// an answer or a log line, no error-level log line, and no change to the tables
// unless the answer says one was made. Keeps the totals for the report.
import { createHash, type Hash } from 'node:crypto';
import { Writable } from 'node:stream';
import { loggerOptions } from '@analytics-engine/http';
import type { OpenDatabase } from '@analytics-engine/storage';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type InjectOptions,
  type LightMyRequestResponse,
} from 'fastify';
import pg from 'pg';
import { headerSafe, SECRET_CANARY } from './hostile-values.js';
import type { FuzzRequest } from './hostile-requests.js';

export interface LogRecord {
  readonly level: number;
  readonly line: string;
}

/** The services' own pino configuration (redaction included), written where the fuzz reads it back. */
export interface LogCapture {
  readonly logger: FastifyBaseLogger;
  /** Lines at error level and above, and lines that contain the secret canary, in order. */
  readonly flagged: LogRecord[];
  /** How many lines were written in all (the report shows that the secret check read them). */
  readonly lines: () => number;
}

/**
 * level: info for a service that holds secrets, so that every line it writes in
 * production is searched for them; warn elsewhere (info costs a quarter of the
 * run's CPU), which still shows every error-level line.
 */
export function captureLogs(level: 'info' | 'warn'): LogCapture {
  const flagged: LogRecord[] = [];
  let lines = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        lines++;
        const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
        if (level >= 50 || line.includes(SECRET_CANARY)) flagged.push({ level, line });
      }
      done();
    },
  });
  // NODE_ENV=production: JSON lines, no pretty transport. pino comes with Fastify.
  const options = loggerOptions({ logLevel: level, production: true });
  return { logger: Fastify({ logger: { ...options, stream } }).log, flagged, lines: () => lines };
}

const TABLES = ['connector_profiles', 'client_configs', 'service_proposals'];

/**
 * A fingerprint of the three tables that changes with any committed write:
 * the row count and the newest row version (xmin) of each. Read on a
 * connection of its own, so it sees exactly what has been committed.
 */
export class TableWatch {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<TableWatch> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new TableWatch(client);
  }

  async fingerprint(): Promise<string> {
    const part = (table: string) => `(select count(*) || '/' || coalesce(max(xmin::text::bigint), 0) from ${table})`;
    const result = await this.client.query<{ f: string }>(`select concat_ws(' ', ${TABLES.map(part).join(', ')}) as f`);
    return result.rows[0]?.f ?? '';
  }

  /** Keeps a copy of the tables as they are now (seeded), on this connection, for restoreSeeded. */
  async saveSeeded(): Promise<void> {
    await this.client.query(
      TABLES.map((table) => `create temp table seeded_${table} as select * from ${table}`).join('; '),
    );
  }

  /**
   * Puts the seeded rows back exactly (a cheap SQL copy, not the API calls that
   * made them). whole: the tables hold nothing else afterwards, and the
   * Idempotency-Key records are gone too, so each operation's run starts from
   * the same state and FUZZ_ONLY replays it as the full run saw it. Else only
   * the seeded rows a DELETE removed come back.
   */
  async restoreSeeded(whole: boolean): Promise<void> {
    const statements = TABLES.map(
      (table) => `insert into ${table} select * from seeded_${table} on conflict do nothing;`,
    );
    const emptied = whole ? [...TABLES.map((table) => `delete from ${table};`), 'delete from idempotency_keys;'] : [];
    await this.client.query(`do $$ begin ${[...emptied, ...statements].join(' ')} end $$`);
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/**
 * Counts the statements that changed rows, as the database driver reports
 * them (INSERT, UPDATE, DELETE with a row count above 0). A request that ran
 * none cannot have changed a table, so the fingerprint is read only after the
 * requests that did; a fingerprint at the end of each operation catches a
 * change made any other way.
 */
export class WriteCounter {
  writes = 0;

  /** The database as the services get it: the same pool, with the counter reading every result. */
  watch(database: OpenDatabase): OpenDatabase {
    const db = database.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: (args) => {
        if ((args.result.numAffectedRows ?? 0n) > 0n) this.writes++;
        return Promise.resolve(args.result);
      },
    });
    return { ...database, db };
  }
}

/** A service bug the lead has been told about (see the fuzz report), excused by name until its fix lands. */
export interface KnownFailure {
  readonly name: string;
  /** The failing request, its answer and what was logged at error level. */
  readonly matches: (request: FuzzRequest, response: LightMyRequestResponse, errorLog: string) => boolean;
}

export interface Exchange {
  readonly request: FuzzRequest;
  readonly sent: InjectOptions;
  readonly response: LightMyRequestResponse;
  readonly milliseconds: number;
  /** What is wrong with this answer, or nothing. */
  readonly problems: string[];
  /** Lines logged at error level while it was handled. */
  readonly errorLines: number;
  /** The KNOWN_FAILURES entry that excused the problems. */
  readonly known?: string;
}

const STALE_ETAG = `"${'0'.repeat(32)}"`;

/** The request as sent: If-Match resolved against the item's current ETag. */
async function resolve(app: FastifyInstance, request: FuzzRequest): Promise<InjectOptions> {
  const headers = { ...request.headers };
  if (request.ifMatch === 'CURRENT') {
    const item = await app.inject({ method: 'GET', url: request.url.split('?')[0] ?? '/' });
    const etag = item.headers.etag;
    headers['if-match'] = typeof etag === 'string' ? etag : STALE_ETAG;
  } else if (request.ifMatch === 'STALE') {
    headers['if-match'] = STALE_ETAG;
  } else if (request.ifMatch !== undefined) {
    headers['if-match'] = headerSafe(request.ifMatch);
  }
  return {
    method: request.method as NonNullable<InjectOptions['method']>,
    url: request.url,
    headers,
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  };
}

/** Methods whose successful answer may have changed the tables; nothing else may. */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that never store anything, whatever they answer. */
const NEVER_WRITE = [/^POST \/connector\/profiles\/test(\?|$)/];

function mayWrite(request: FuzzRequest, status: number): boolean {
  if (status < 200 || status >= 300 || !WRITES.has(request.method)) return false;
  return !NEVER_WRITE.some((pattern) => pattern.test(`${request.method} ${request.url}`));
}

/** Where the run's time goes, for the verbose report. */
export class Phases {
  private readonly spent = new Map<string, number>();

  add(phase: string, milliseconds: number): void {
    this.spent.set(phase, (this.spent.get(phase) ?? 0) + milliseconds);
  }

  async time<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(phase, performance.now() - started);
    }
  }

  toString(): string {
    return [...this.spent].map(([phase, milliseconds]) => `${phase} ${(milliseconds / 1000).toFixed(1)} s`).join(', ');
  }
}

export interface ExchangeOptions {
  readonly knownFailures: readonly KnownFailure[];
  readonly phases?: Phases;
  /** Fingerprint before the request; after one that wrote, the harness reads it again and compares. */
  readonly tables: { readonly before: string; readonly watch: TableWatch; readonly counter: WriteCounter };
}

export async function exchange(
  app: FastifyInstance,
  logs: LogCapture,
  request: FuzzRequest,
  options: ExchangeOptions,
): Promise<Exchange & { tablesAfter: string }> {
  const resolving = performance.now();
  const sent = await resolve(app, request);
  const flaggedBefore = logs.flagged.length;
  const writesBefore = options.tables.counter.writes;
  const started = performance.now();
  const response = await app.inject(sent);
  const milliseconds = performance.now() - started;
  // A create's insert carries its audit row in one statement whose top is a SELECT (no affected-row count):
  // a success of a writing method is read as a write too.
  const succeeded = response.statusCode < 300 && !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
  const wrote = options.tables.counter.writes !== writesBefore || succeeded;
  const tablesAfter = wrote ? await options.tables.watch.fingerprint() : options.tables.before;
  options.phases?.add('if-match', started - resolving);
  options.phases?.add('inject', milliseconds);
  options.phases?.add('fingerprint', performance.now() - started - milliseconds);

  const problems = judge(response, request.method);
  const flagged = logs.flagged.slice(flaggedBefore);
  const errorLines = flagged.filter((record) => record.level >= 50).map((record) => record.line);
  const errorLog = errorLines.join('\n');
  if (errorLog) problems.push(`logged at error level: ${truncate(errorLog, 1200)}`);
  if (flagged.some((record) => record.line.includes(SECRET_CANARY))) problems.push('logged the secret canary');
  if (tablesAfter !== options.tables.before && !mayWrite(request, response.statusCode)) {
    problems.push(
      `changed the tables (${options.tables.before} -> ${tablesAfter}) although it answered ${response.statusCode}`,
    );
  }
  const result = { request, sent, response, milliseconds, problems, errorLines: errorLines.length, tablesAfter };
  if (problems.length === 0) return result;
  const known = options.knownFailures.find((failure) => failure.matches(request, response, errorLog));
  return known ? { ...result, known: known.name } : result;
}

/** An error answer this size is not a clear message: it echoes the input or lists without bound. */
const MAX_ERROR_BODY = 64 * 1024;

function judge(response: LightMyRequestResponse, method: string): string[] {
  const status = response.statusCode;
  const problems: string[] = [];
  if (response.body.includes(SECRET_CANARY) || JSON.stringify(response.headers).includes(SECRET_CANARY))
    problems.push('answered with the secret canary in it');
  if (status >= 500) return [`answered ${status}: ${truncate(response.body, 600)}`, ...problems];
  if (status < 400 || method === 'HEAD') return problems;
  if (response.body.length > MAX_ERROR_BODY)
    problems.push(`answered ${status} with an error body of ${response.body.length} characters`);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return [...problems, `answered ${status} with a body that is not JSON: ${truncate(response.body, 300)}`];
  }
  // A replayed first answer (Idempotency-Key) keeps the first request's requestId in its body.
  const replayed = response.headers['idempotent-replayed'] === 'true';
  const shapeProblem = errorBodyProblem(body, status, replayed ? undefined : response.headers['x-request-id']);
  if (shapeProblem) problems.push(`answered ${status} with ${shapeProblem}: ${truncate(response.body, 300)}`);
  return problems;
}

const LOCATIONS = /^(body|query|params|headers)(\.|$)/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one error body: { statusCode, error, code, message, details?, requestId }
 * (packages/http/src/api-error.ts), its requestId the x-request-id answered
 * (unless undefined: a replay's body has the first request's).
 */
function errorBodyProblem(body: unknown, status: number, requestIdHeader: unknown): string | undefined {
  if (!isRecord(body)) return 'a body that is not an object';
  if (body.statusCode !== status) return 'statusCode differing from the status';
  for (const name of ['error', 'code', 'message', 'requestId']) {
    if (typeof body[name] !== 'string' || body[name] === '') return `no ${name}`;
  }
  if (requestIdHeader !== undefined && body.requestId !== requestIdHeader)
    return 'a requestId differing from x-request-id';
  const allowed = new Set(['statusCode', 'error', 'code', 'message', 'details', 'requestId']);
  const extra = Object.keys(body).filter((name) => !allowed.has(name));
  if (extra.length) return `unexpected members ${extra.join(', ')}`;
  const details = body.details;
  if (details === undefined)
    return body.code === 'VALIDATION_FAILED' ? 'a validation error without details' : undefined;
  if (!Array.isArray(details) || details.length === 0) return 'details that are not a non-empty list';
  for (const detail of details as unknown[]) {
    if (
      !isRecord(detail) ||
      typeof detail.path !== 'string' ||
      typeof detail.message !== 'string' ||
      detail.message === ''
    )
      return 'details that are not [{ path, message }]';
    if (!LOCATIONS.test(detail.path))
      return `a detail path that names no part of the request (${truncate(detail.path, 80)})`;
  }
  // A validation error names the field in its message too, not only in details.
  const first = details[0] as { path: string };
  if (body.code === 'VALIDATION_FAILED' && !(body.message as string).includes(first.path))
    return `a message that does not name ${truncate(first.path, 80)}`;
  return undefined;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}... (${text.length} characters)` : text;
}

/** The request as someone would type it again. */
export function reproduction(exchanged: Exchange): string {
  const { sent, request } = exchanged;
  const payload =
    request.payload === undefined
      ? ''
      : Buffer.isBuffer(request.payload)
        ? `bytes ${request.payload.toString('hex').slice(0, 200)}`
        : truncate(JSON.stringify(request.payload), 400);
  return [
    `${request.method} ${truncate(request.url, 400)}`,
    `  headers: ${truncate(JSON.stringify(sent.headers), 400)}`,
    `  body (${request.bodyShape}): ${payload}`,
    ...exchanged.problems.map((problem) => `  => ${problem}`),
  ].join('\n');
}

/** The request exactly as sent, as JSON: a body that is not UTF-8 text comes as base64. */
export function requestAsJson(exchanged: Exchange): string {
  const { request, sent } = exchanged;
  const body =
    request.payload === undefined
      ? {}
      : Buffer.isBuffer(request.payload)
        ? { bodyBase64: request.payload.toString('base64') }
        : { body: request.payload };
  return JSON.stringify(
    { method: request.method, url: request.url, headers: sent.headers, ...body, problems: exchanged.problems },
    null,
    1,
  );
}

/** What went wrong, without what varies from one request to the next: one entry per distinct bug. */
export function signature(label: string, exchanged: Exchange): string {
  const first = exchanged.problems[0] ?? '';
  const logged = /"message":"((?:[^"\\]|\\.){0,120})/.exec(exchanged.problems.join('\n'))?.[1] ?? '';
  const kind = first
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>')
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 100);
  return `${label} | ${exchanged.response.statusCode} | ${kind} | ${logged.replace(/\\"[^"]*\\"/g, '"…"')}`;
}

export class FuzzTotals {
  /** Per operation, in the order of the labels given (the services run side by side). */
  readonly perOperation: Map<
    string,
    { requests: number; milliseconds: number; statuses: Map<number, number>; digest: Hash }
  >;
  readonly statuses = new Map<number, number>();
  /** Error answers by status and code, e.g. "400 VALIDATION_FAILED". */
  readonly codes = new Map<string, number>();
  readonly known = new Map<string, number>();
  /** The first request each known failure excused, for the verbose report. */
  readonly knownExamples = new Map<string, string>();
  /** The slowest requests, slowest first. */
  readonly slowest: { milliseconds: number; label: string }[] = [];
  /** Time per kind of body (its shape's first word). */
  readonly perShape = new Map<string, { requests: number; milliseconds: number }>();

  constructor(labels: readonly string[]) {
    this.perOperation = new Map(
      labels.map((label) => [
        label,
        { requests: 0, milliseconds: 0, statuses: new Map<number, number>(), digest: createHash('sha256') },
      ]),
    );
  }

  count(label: string, exchanged: Exchange): void {
    const status = exchanged.response.statusCode;
    const operation = this.perOperation.get(label);
    if (!operation) throw new Error(`no operation ${label}`);
    operation.requests++;
    operation.digest.update(requestDigest(exchanged.request));
    operation.milliseconds += exchanged.milliseconds;
    operation.statuses.set(status, (operation.statuses.get(status) ?? 0) + 1);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status >= 400) {
      const code = `${status} ${/"code":"([^"]*)"/.exec(exchanged.response.body.slice(0, 200))?.[1] ?? '(no body)'}`;
      this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
    }
    if (exchanged.known) {
      this.known.set(exchanged.known, (this.known.get(exchanged.known) ?? 0) + 1);
      if (!this.knownExamples.has(exchanged.known))
        this.knownExamples.set(exchanged.known, `${label}:\n${reproduction(exchanged)}`);
    }
    const shape = exchanged.request.bodyShape.split(/[ ,]/)[0] ?? '';
    const perShape = this.perShape.get(shape) ?? { requests: 0, milliseconds: 0 };
    perShape.requests++;
    perShape.milliseconds += exchanged.milliseconds;
    this.perShape.set(shape, perShape);
    if (this.slowest.length < 10 || exchanged.milliseconds > (this.slowest.at(-1)?.milliseconds ?? 0)) {
      const { request } = exchanged;
      const size = request.payload === undefined ? 0 : request.payload.length;
      this.slowest.push({
        milliseconds: exchanged.milliseconds,
        label:
          `${request.method} ${truncate(request.url.split('?')[0] ?? '', 40)} -> ${status} ` +
          `(${truncate(request.bodyShape, 60)}, ${size} characters)`,
      });
      this.slowest.sort((a, b) => b.milliseconds - a.milliseconds);
      this.slowest.length = Math.min(this.slowest.length, 10);
    }
  }

  get requests(): number {
    return [...this.perOperation.values()].reduce((sum, operation) => sum + operation.requests, 0);
  }

  get serverErrors(): number {
    return [...this.statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
  }

  /** The one report line. */
  report(seed: number, runs: number, milliseconds: number): string {
    const statuses = [...this.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}:${n}`);
    const known = [...this.known].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name}:${n}`);
    return [
      `fuzz: ${this.requests} requests over ` +
        `${[...this.perOperation.values()].filter((operation) => operation.requests > 0).length} operations in ` +
        `${(milliseconds / 1000).toFixed(1)} s`,
      `statuses ${statuses.join(' ')}`,
      `5xx ${this.serverErrors}${known.length ? ` (known, excused: ${known.join(' ')})` : ''}`,
      `slowest ${(this.slowest[0]?.milliseconds ?? 0).toFixed(0)} ms`,
      `seed ${seed} (FUZZ_SEED), ${runs} runs per operation (FUZZ_RUNS), requests digest ${this.requestsDigest()}`,
    ].join('; ');
  }

  /** One digest of every request sent, whatever order the services' runs interleaved in. */
  requestsDigest(): string {
    const digest = createHash('sha256');
    for (const operation of this.perOperation.values())
      if (operation.requests > 0) digest.update(operation.digest.copy().digest());
    return digest.digest('hex').slice(0, 12);
  }

  /** Per operation: requests, time, statuses (FUZZ_VERBOSE=1, or when something failed). */
  breakdown(): string {
    return [...this.perOperation]
      .filter(([, { requests }]) => requests > 0)
      .map(([label, { requests, milliseconds, statuses }]) => {
        const histogram = [...statuses]
          .sort(([a], [b]) => a - b)
          .map(([status, n]) => `${status}:${n}`)
          .join(' ');
        return (
          `  ${String(requests).padStart(4)} requests ${(milliseconds / 1000).toFixed(2).padStart(6)} s  ` +
          `${label.padEnd(52)} ${histogram}`
        );
      })
      .concat(
        `  error codes: ${[...this.codes]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([code, n]) => `${code}:${n}`)
          .join(', ')}`,
        `  time per body: ${[...this.perShape]
          .sort(([, a], [, b]) => b.milliseconds - a.milliseconds)
          .map(([shape, { requests, milliseconds }]) => `${shape} ${requests}/${(milliseconds / 1000).toFixed(1)} s`)
          .join(', ')}`,
        ...[...this.knownExamples].map(
          ([name, example]) => `  known failure ${name}, first met at ${example.replace(/\n/g, '\n    ')}`,
        ),
        '  slowest:',
        ...this.slowest.map(({ milliseconds, label }) => `    ${milliseconds.toFixed(0).padStart(5)} ms  ${label}`),
      )
      .join('\n');
  }
}

/**
 * What identifies a generated request, to show that a seed reproduces the same
 * requests: all of it but the body, of which its length and first 4 KiB (the
 * bodies that are longer are padding after that).
 */
export function requestDigest(request: FuzzRequest): string {
  const payload = request.payload ?? '';
  const head = Buffer.isBuffer(payload) ? payload.subarray(0, 4096).toString('hex') : payload.slice(0, 4096);
  return createHash('sha256')
    .update(
      JSON.stringify([
        request.method,
        request.url,
        request.headers,
        request.ifMatch ?? null,
        request.bodyShape,
        payload.length,
        head,
      ]),
    )
    .digest('hex');
}
