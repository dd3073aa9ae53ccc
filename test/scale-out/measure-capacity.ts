// The capacity model's figures (bench/README.md, "Capacity model"):
//   pnpm exec tsx test/scale-out/measure-capacity.ts [--rows 20000] [--duration 5] [--connections 32]
// On a fresh ae_bench_* database of DATABASE_URL's server (default the local one):
// 1. one instance (both services in one process, `pnpm start`'s entry point),
//    direct to PostgreSQL: per route, requests/s, latency, and CPU per request of
//    the service process, of the database backends serving it and of the load
//    generator (this process), from /proc;
// 2. gets and creates direct without named prepared statements (what PgBouncer
//    1.18 in transaction mode costs the database);
// 3. 1, 2 and 3 instances through PgBouncer (transaction mode), the load split
//    evenly over them: throughput, CPU (PgBouncer's too) and the server
//    connections PgBouncer opens.
// Everything shares this machine's cores: the figures say where the CPU goes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createBenchDatabase, DEFAULT_SERVER_URL, settle, type BenchDatabase } from '../../bench/database.js';
import { operationLabel, operations, type Operation } from '../../bench/operations.js';
import { startServices, type Child } from '../../bench/processes.js';
import { table } from '../../bench/report.js';
import { newSealingKey, seed, seedClients, sealingKeyVariable } from '../../bench/seed.js';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: '10' },
  },
});
const rows = Number(args.rows);
const duration = Number(args.duration);
const connections = Number(args.connections);
const poolMax = Number(args.pool);
const log = (line = '') => process.stdout.write(`${line}\n`);
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used; 0 once it is gone. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

interface Figures {
  readonly label: string;
  readonly instances: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly requests: number;
  /** CPU microseconds per request. */
  readonly serviceUs: number;
  readonly databaseUs: number;
  readonly bouncerUs: number;
  readonly generatorUs: number;
  /** Server sessions on the database (mid-run), and what the instances' pools may open. */
  readonly serverConnections: number;
  readonly loadAverage: number;
}

async function backendPids(database: BenchDatabase): Promise<number[]> {
  const { rows: found } = await database.client.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
       and backend_type = 'client backend'`,
  );
  return found.map((row) => row.pid);
}

async function run(
  label: string,
  operation: Operation,
  instances: readonly Child[],
  database: BenchDatabase,
  bouncer: PgBouncer | undefined,
  seconds = duration,
): Promise<Figures> {
  const perInstance = Math.max(1, Math.round(connections / instances.length));
  const load = (time: number) =>
    Promise.all(
      instances.map((instance) =>
        autocannon({
          url: instance.urls[operation.listener === 'connector' ? 'connector' : 'demo'] ?? '',
          connections: perInstance,
          duration: time,
          requests: [{ setupRequest: (request) => ({ ...request, ...operation.next(rows) }) }],
        }),
      ),
    );
  await load(1); // warm-up: pools full, JIT warm, plans cached
  const backends = new Set(await backendPids(database));
  const before = {
    service: instances.map((instance) => cpuSeconds(instance.pid)),
    database: new Map([...backends].map((pid) => [pid, cpuSeconds(pid)])),
    bouncer: cpuSeconds(bouncer?.pid),
    generator: process.cpuUsage(),
  };
  let serverConnections = 0;
  const sampler = setTimeout(
    () => {
      void backendPids(database).then((pids) => {
        serverConnections = pids.length;
        for (const pid of pids) if (!before.database.has(pid)) before.database.set(pid, 0);
      });
    },
    (seconds * 1000) / 2,
  );
  const results = await load(seconds);
  clearTimeout(sampler);
  const generator = process.cpuUsage(before.generator);
  const serviceCpu = instances.reduce(
    (sum, instance, i) => sum + cpuSeconds(instance.pid) - (before.service[i] ?? 0),
    0,
  );
  let databaseCpu = 0;
  for (const [pid, start] of before.database) databaseCpu += Math.max(0, cpuSeconds(pid) - start);
  const requests = results.reduce((sum, result) => sum + result.requests.total, 0);
  const us = (cpu: number) => Math.round((cpu * 1e6) / Math.max(1, requests));
  await settle(database.client);
  return {
    label,
    instances: instances.length,
    requestsPerSecond: Math.round(results.reduce((sum, result) => sum + result.requests.average, 0)),
    p50: Math.max(...results.map((result) => result.latency.p50)),
    p99: Math.max(...results.map((result) => result.latency.p99)),
    errors: results.reduce((sum, result) => sum + result.non2xx + result.errors + result.timeouts, 0),
    requests,
    serviceUs: us(serviceCpu),
    databaseUs: us(databaseCpu),
    bouncerUs: us(cpuSeconds(bouncer?.pid) - before.bouncer),
    generatorUs: us((generator.user + generator.system) / 1e6),
    serverConnections,
    loadAverage: Number(loadavg()[0]?.toFixed(1)),
  };
}

function print(title: string, figures: readonly Figures[]): void {
  log(`\n${title}`);
  log(
    table(
      [
        'route',
        'inst',
        'req/s',
        'p50 ms',
        'p99 ms',
        'err',
        'svc µs/req',
        'db µs/req',
        'pgb µs/req',
        'gen µs/req',
        'server conns',
        'load',
      ],
      figures.map((f) => [
        f.label,
        String(f.instances),
        String(f.requestsPerSecond),
        String(f.p50),
        String(f.p99),
        String(f.errors),
        String(f.serviceUs),
        String(f.databaseUs),
        String(f.bouncerUs),
        String(f.generatorUs),
        String(f.serverConnections),
        String(f.loadAverage),
      ]),
    ),
  );
}

const serverUrl = process.env.DATABASE_URL ?? DEFAULT_SERVER_URL;
const key = newSealingKey();
const dataDir = mkdtempSync(join(tmpdir(), 'ae-capacity-'));
const started: Child[] = [];
let bouncer: PgBouncer | undefined;
const database = await createBenchDatabase(serverUrl);
try {
  const env = {
    CONNECTOR_ENCRYPTION_KEYS: sealingKeyVariable(key),
    DATABASE_POOL_MAX: String(poolMax),
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
  };
  const direct = await startServices({ env });
  started.push(direct);
  log(`database ${database.name}; seeding ${String(rows)} profiles and proposals`);
  const runSql = (text: string, params?: unknown[]) => database.client.query(text, params);
  await seedClients(runSql);
  await seed(runSql, key, 0, rows);

  const routes = operations(['profiles', 'proposals'], ['get', 'list-newest', 'create', 'patch']);
  const single: Figures[] = [];
  for (const operation of routes)
    single.push(await run(operationLabel(operation), operation, [direct], database, undefined));
  print(`one instance, direct to PostgreSQL (pool ${String(poolMax)}, ${String(connections)} connections)`, single);
  await direct.stop();
  started.splice(0);

  // What named prepared statements save the database: the same routes with none, still direct.
  const scaled = routes.filter((operation) => ['get', 'create'].includes(operation.name));
  const unnamed = await startServices({ env: { ...env, DATABASE_PREPARED_STATEMENTS: 'false' } });
  started.push(unnamed);
  const withoutNames: Figures[] = [];
  for (const operation of scaled)
    withoutNames.push(await run(operationLabel(operation), operation, [unnamed], database, undefined));
  print('one instance, direct, DATABASE_PREPARED_STATEMENTS=false', withoutNames);
  await unnamed.stop();
  started.splice(0);

  bouncer = await startPgBouncer(serverUrl);
  const pooledEnv = { ...env, DATABASE_URL: bouncer.url(database.url), DATABASE_MIGRATION_URL: database.url };
  const scaling: Figures[] = [];
  for (let count = 1; count <= 3; count++) {
    while (started.length < count) started.push(await startServices({ env: pooledEnv }));
    for (const operation of scaled) {
      scaling.push(await run(operationLabel(operation), operation, started, database, bouncer));
    }
  }
  print(`1, 2 and 3 instances through PgBouncer (transaction mode, default_pool_size 20)`, scaling);
  log(JSON.stringify({ rows, duration, connections, poolMax, single, withoutNames, scaling }));
} finally {
  for (const child of started) await child.stop();
  await bouncer?.stop();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
