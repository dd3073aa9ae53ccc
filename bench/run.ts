// `pnpm bench`: the services against a fresh database, the bare limit beside
// them, every operation driven by autocannon, a table and a JSON file. See
// bench/README.md for the options and what each number means.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchDatabase, DEFAULT_SERVER_URL, settle, type BenchDatabase } from './database.js';
import { measure, sampleRss, type Measurement } from './measure.js';
import { OPERATION_NAMES, operationLabel, operations, type Operation, type OperationName } from './operations.js';
import { ROOT, startBare, startServices, type Child } from './processes.js';
import { cpuRatio, formatTable, formatTargets, merged, ratio, writeResults, type OperationResult } from './report.js';
import {
  explainLists,
  formatGrowth,
  formatPlans,
  measureLists,
  SCALE_SIZES,
  setWindow,
  type ScaleStep,
} from './scale.js';
import { newSealingKey, seed, seedClients, sealingKeyVariable, type RunSql } from './seed.js';
import { captureShapes, type Shapes } from './sql-shapes.js';
import { openEmbedded } from './embedded.js';
import { benchQuote } from './quote.js';
import { benchRender, RENDER_TARGET_MS } from './render.js';
import { PRODUCTION_ENV } from './production-config.js';
import { benchRoutes, formatRouteTimings } from './route-timings.js';
import { startPeer, type Peer } from './peer.js';
import { benchStream, dropStream, formatOutboxCost, measureOutboxCost, OUTBOX_ROUNDS } from './outbox-cost.js';
import { formatRelayCost, measureRelayCost } from './relay-cost.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    embedded: { type: 'boolean', default: false },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    scale: { type: 'boolean', default: false },
    soak: { type: 'string' },
    ops: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    pool: { type: 'string', default: '10' },
    'events-redis': { type: 'string', default: process.env.EVENTS_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'no-events': { type: 'boolean', default: false },
    'outbox-rounds': { type: 'string', default: String(OUTBOX_ROUNDS) },
    rounds: { type: 'string', default: '2' },
    'no-peer': { type: 'boolean', default: false },
  },
});

/** Events the relay drains for its cost per event: some 40 rounds of a full batch. */
const RELAY_EVENTS = 20_000;

const rows = positive('rows', args.rows);
const duration = positive('duration', args.duration);
const connections = positive('connections', args.connections);
/** DATABASE_POOL_MAX of the services, and the bare server's pool: the same for both. */
const POOL_MAX = positive('pool', args.pool);
/** Measured rounds per operation and target, alternating between the targets. */
const rounds = positive('rounds', args.rounds);
/** Rounds a side of the outbox's cost on create. */
const outboxRounds = positive('outbox-rounds', args['outbox-rounds']);
const soakSeconds = args.soak === undefined ? undefined : positive('soak', args.soak);
const asked = args.ops?.split(',');
/** `routes` in --ops: the quote, documents and preview (timed by every full run). */
const wantRoutes = asked === undefined || asked.includes('routes');
const only = asked === undefined ? OPERATION_NAMES : (asked.filter((name) => name !== 'routes') as OperationName[]);
for (const name of only)
  if (!OPERATION_NAMES.includes(name))
    fail(`--ops: unknown operation '${name}' (${OPERATION_NAMES.join(', ')}, routes)`);

function positive(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) fail(`--${name} must be a positive integer`);
  return number;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const started = performance.now();
const cleanups: (() => Promise<void>)[] = [];
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse())
    await cleanup().catch((error: unknown) => log(`cleanup: ${String(error)}`));
}
process.once('SIGINT', () => {
  void cleanUp().then(() => process.exit(130));
});

const key = newSealingKey();
const dataDir = mkdtempSync(join(tmpdir(), 'ae-bench-'));
cleanups.push(() => {
  rmSync(dataDir, { recursive: true, force: true });
  return Promise.resolve();
});
const serviceEnv: NodeJS.ProcessEnv = {
  ...PRODUCTION_ENV,
  // The preview's source is a table in the bench database, on this machine.
  CONNECTOR_EGRESS_ALLOW: new URL(process.env.DATABASE_URL ?? DEFAULT_SERVER_URL).hostname,
  CONNECTOR_ENCRYPTION_KEYS: sealingKeyVariable(key),
  DATABASE_POOL_MAX: String(POOL_MAX),
  DATA_DIR: dataDir,
};
const profileDir = join(ROOT, 'bench', 'results', 'cpu-prof');
const profileFlags = (who: string) => (args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, who)] : []);
const nodeFlags = profileFlags('service');

async function startTracked(extraEnv: NodeJS.ProcessEnv = {}): Promise<Child> {
  const services = await startServices({ env: { ...serviceEnv, ...extraEnv }, nodeFlags });
  cleanups.push(() => services.stop());
  return services;
}

try {
  let database: BenchDatabase | undefined;
  let runSql: RunSql;
  if (args.embedded) {
    // PGlite is one process: migrate by a first start, seed in this process, then start for real.
    serviceEnv.DATABASE_URL = '';
    log(`embedded PGlite in ${dataDir}`);
    await (await startServices({ env: serviceEnv })).stop();
    const embedded = await openEmbedded(join(dataDir, 'pgdata'));
    runSql = embedded.run;
    await seedClients(runSql);
    await seed(runSql, key, 0, rows);
    await embedded.close();
  } else {
    database = await createBenchDatabase(process.env.DATABASE_URL ?? DEFAULT_SERVER_URL);
    const bench = database;
    cleanups.push(() => bench.drop());
    serviceEnv.DATABASE_URL = database.url;
    log(`database ${database.name} (dropped at the end)`);
    runSql = (text, params) => bench.client.query(text, params);
  }

  const services = await startTracked();
  log(
    `services: connector ${services.urls.connector ?? ''}, demo-config` +
      ` ${services.urls.demo ?? ''} (pid ${services.pid})`,
  );

  if (args.scale) {
    if (!database) fail('--scale needs PostgreSQL (DATABASE_URL), not --embedded');
    await runScale(database, services);
  } else {
    if (database) {
      await seedClients(runSql);
      await seed(runSql, key, 0, rows);
    }
    const bare = database && only.length > 0 ? await startBareFor(database) : undefined;
    if (!bare) log('no bare limit with --embedded: PGlite is one process, one connection');
    const peer = database && only.length > 0 && !args['no-peer'] ? await startPeerFor(database) : undefined;
    const results = await runOperations(services, bare, peer, database);
    log('');
    log(formatTable(results));
    log(`\ntargets (issue 18), ${rounds} alternating rounds of ${duration} s per target:`);
    log(formatTargets(results));
    const routes = database ? await runRoutes(services, database) : undefined;
    const outbox = await runOutboxCost(services);
    const soak = soakSeconds === undefined ? undefined : await runSoak(services, soakSeconds);
    const generator = await runGenerator();
    const file = writeResults({
      startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
      options: { rows, embedded: args.embedded, duration, rounds, connections, poolMax: POOL_MAX },
      machine: { cpus: (await import('node:os')).cpus().length, loadAverage: (await import('node:os')).loadavg() },
      results,
      routes,
      outbox,
      soak,
      generator,
      wallSeconds: (performance.now() - started) / 1000,
    });
    log(`\nresults: ${file}`);
  }
} finally {
  await cleanUp();
  if (args['cpu-prof'])
    log(
      `CPU profiles written under ${profileDir}/{service,bare} ` +
        `(summarise: pnpm exec tsx bench/profile-summary.ts <file>)`,
    );
  log(`wall time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function startBareFor(database: BenchDatabase): Promise<Child> {
  const shapes = await captureShapes(database.url);
  const shapesFile = join(dataDir, 'shapes.json');
  writeFileSync(shapesFile, JSON.stringify(shapes));
  const bare = await startBare(
    { BENCH_DATABASE_URL: database.url, BENCH_SHAPES: shapesFile, BENCH_POOL_MAX: String(POOL_MAX) },
    profileFlags('bare'),
  );
  cleanups.push(() => bare.stop());
  log(`bare server: ${bare.urls.connector ?? ''} (pid ${bare.pid}, pg pool of ${POOL_MAX}, prepared statements)`);
  return bare;
}

async function startPeerFor(database: BenchDatabase): Promise<Peer> {
  const peer = await startPeer(database.url, POOL_MAX, log, profileFlags('peer'));
  cleanups.push(() => peer.stop());
  log(`peer: Platformatic's generated API at ${peer.urls.connector ?? ''} (pid ${peer.pid}, pg pool of ${POOL_MAX})`);
  return peer;
}

async function runOperations(
  services: Child,
  bare: Child | undefined,
  peer: Peer | undefined,
  database: BenchDatabase | undefined,
): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  for (const operation of operations(['profiles', 'proposals'], only)) {
    const label = operationLabel(operation);
    const run = async (target: Child, next?: Operation['next']): Promise<Measurement> => {
      const url = target.urls[operation.listener] ?? '';
      const load = { url, operation, seeded: rows, connections, ...(next ? { next } : {}) };
      // One second of warm-up (JIT, pool connections, prepared statements), not recorded.
      await measure({ ...load, durationSeconds: 1 });
      if (database) await settle(database.client);
      const measured = await measure({ ...load, durationSeconds: duration, pid: target.pid });
      const abandoned = database ? await settle(database.client) : 0;
      if (abandoned > 0) log(`  (${abandoned} statements still running after the run were cancelled)`);
      return measured;
    };
    // Rounds alternate between the targets, so each meets the machine as the others did.
    const peered = peer?.serves(operation) ? peer : undefined;
    const taken = { service: [] as Measurement[], bare: [] as Measurement[], peer: [] as Measurement[] };
    for (let round = 0; round < rounds; round++) {
      taken.service.push(await run(services));
      if (bare) taken.bare.push(await run(bare));
      if (peered) taken.peer.push(await run(peered, (seeded) => peered.request(operation, seeded)));
    }
    const service = merged(taken.service);
    const bareResult = bare ? merged(taken.bare) : null;
    const peerResult = peered ? merged(taken.peer) : null;
    const result: OperationResult = {
      operation: label,
      service,
      bare: bareResult,
      peer: peerResult,
      throughputRatio: ratio(service, bareResult),
      cpuRatio: cpuRatio(service, bareResult),
      peerRatio: ratio(service, peerResult),
    };
    results.push(result);
    const perRequest = (m: Measurement) =>
      m.cpuMicrosPerRequest === null ? '' : ` ${m.cpuMicrosPerRequest.toFixed(0)} µs CPU/req`;
    log(
      `${label.padEnd(22)} service ${service.requestsPerSecond.toFixed(0)} req/s p99 ${service.p99} ms` +
        perRequest(service) +
        (bareResult
          ? ` | bare ${bareResult.requestsPerSecond.toFixed(0)} req/s p99 ${bareResult.p99} ms` +
            perRequest(bareResult) +
            ` | req/s ${result.throughputRatio?.toFixed(2) ?? '-'}, CPU ${result.cpuRatio?.toFixed(2) ?? '-'}`
          : '') +
        (peerResult ? ` | peer ${peerResult.requestsPerSecond.toFixed(0)} req/s p99 ${peerResult.p99} ms` : ''),
    );
  }
  return results;
}

/** The quote, the document renders and the connector's preview, over HTTP: absolute figures. */
async function runRoutes(services: Child, database: BenchDatabase) {
  if (!wantRoutes) return undefined;
  log(`\nroutes with no bare equivalent (${duration} s each, over HTTP, every protection on):`);
  const timings = await benchRoutes(services, {
    durationSeconds: duration,
    connections,
    log,
    databaseUrl: database.url,
  });
  log(formatRouteTimings(timings));
  return timings;
}

/** Creates with and without events (a second services process on the same database, EVENTS_REDIS_URL set). */
async function runOutboxCost(services: Child) {
  if (args['no-events'] || !only.includes('create')) return undefined;
  log(
    `\noutbox cost on create: events to ${args['events-redis']}, ` +
      `${outboxRounds} rounds of ${duration} s a side, alternating`,
  );
  const stream = benchStream();
  cleanups.push(() => dropStream(args['events-redis'], stream));
  const withEvents = await startTracked({ EVENTS_REDIS_URL: args['events-redis'], EVENTS_STREAM: stream });
  const results = await measureOutboxCost(services, withEvents, {
    seeded: rows,
    durationSeconds: duration,
    connections,
    rounds: outboxRounds,
  });
  await withEvents.stop();
  log(formatOutboxCost(results));
  const databaseUrl = serviceEnv.DATABASE_URL;
  if (!databaseUrl) return { create: results };
  const relay = await measureRelayCost({ databaseUrl, redisUrl: args['events-redis'], stream, events: RELAY_EVENTS });
  log(formatRelayCost(relay));
  return { create: results, relay };
}

/** In this process, no HTTP: the pure generator and the renderers, as a request pays for them. */
async function runGenerator() {
  const quote = benchQuote();
  log(
    `\nquote of ${quote.objects} objects and ${quote.kpis} KPIs: ` +
      `p50 ${quote.p50.toFixed(2)} ms, p99 ${quote.p99.toFixed(2)} ms ` +
      `(with parse and JSON: p99 ${quote.route.p99.toFixed(2)} ms; target p99 < 5 ms)`,
  );
  const documents = await benchRender();
  for (const figure of documents) {
    log(
      `render ${figure.format.padEnd(4)} (50 objects, 200 KPIs): ` +
        `p50 ${figure.p50Ms.toFixed(1)} ms, p95 ${figure.p95Ms.toFixed(1)} ms`,
    );
  }
  log(`(target: PDF and Word under ${RENDER_TARGET_MS} ms at p50)`);
  return { quote, documents };
}

async function runSoak(services: Child, seconds: number) {
  log(`\nsoak: profiles get for ${seconds} s at ${connections} connections, RSS every second`);
  const [operation] = operations(['profiles'], ['get']);
  if (!operation) throw new Error('no get operation');
  const rss = sampleRss(services.pid, 1000);
  const result = await measure({
    url: services.urls.connector ?? '',
    operation,
    seeded: rows,
    durationSeconds: seconds,
    connections,
  });
  const samples = rss.stop();
  const first = samples[0] ?? 0;
  const last = samples.at(-1) ?? 0;
  const max = Math.max(...samples);
  log(
    `soak: ${result.requestsPerSecond.toFixed(0)} req/s, RSS first ` +
      `${first.toFixed(0)} MiB, last ${last.toFixed(0)} MiB, max ${max.toFixed(0)} MiB`,
  );
  return {
    seconds,
    requestsPerSecond: result.requestsPerSecond,
    p99: result.p99,
    errors: result.errors,
    rssMiB: samples,
  };
}

async function runScale(database: BenchDatabase, services: Child): Promise<void> {
  const runSql: RunSql = (text, params) => database.client.query(text, params);
  await seedClients(runSql);
  setWindow(duration);
  const steps: ScaleStep[] = [];
  let shapes: Shapes | undefined;
  let have = 0;
  for (const size of SCALE_SIZES) {
    await seed(runSql, key, have, size);
    have = size;
    shapes ??= await captureShapes(database.url);
    log(`\n${size.toLocaleString('en')} rows: list latency at 10 connections, ${duration} s each`);
    const latency = await measureLists(services, database.client, size, duration);
    const plans = await explainLists(database.client, shapes);
    log(formatPlans(plans));
    steps.push({ rows: size, latency, plans });
  }
  log(
    `\np50 / p99 in ms by table size, and p99 growth ` +
      `from ${SCALE_SIZES[0].toLocaleString('en')} to ${SCALE_SIZES[2].toLocaleString('en')} rows:`,
  );
  log(formatGrowth(steps));
  const file = writeResults({ kind: 'scale', duration, steps, wallSeconds: (performance.now() - started) / 1000 });
  log(`\nresults: ${file}`);
}
