// Redis for the event tests: a stream reader that drops repeats by event id, a
// consumer group, and a redis-server of the test's own (its own port, its own
// append-only file, so a stop and a start keep what it took) to stop mid-run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../bench/processes.js';

/** The machine's Redis. */
export const MACHINE_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface StreamEvent {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly aggregateId: string;
  readonly event: Record<string, unknown>;
}

function parseEntry([streamId, fields]: [string, string[]]): StreamEvent {
  const value = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
  return {
    streamId,
    id: value('id'),
    type: value('type'),
    aggregateId: value('aggregate_id'),
    event: JSON.parse(value('event')) as Record<string, unknown>,
  };
}

/** Every entry of the stream, in stream order. */
export async function readStream(redis: Redis, stream: string): Promise<StreamEvent[]> {
  const entries = (await redis.xrange(stream, '-', '+')) as [string, string[]][];
  return entries.map(parseEntry);
}

/** Keeps the first of each event id: what a consumer that drops repeats sees. */
export function withoutRepeats(events: readonly StreamEvent[]): StreamEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.id) && seen.add(event.id));
}

/** Reads the stream as a consumer group does (XREADGROUP, XACK) until `count` distinct events arrived. */
export async function consumeGroup(
  redis: Redis,
  stream: string,
  count: number,
  timeoutMs = 60_000,
): Promise<{ delivered: StreamEvent[]; distinct: StreamEvent[] }> {
  await redis.xgroup('CREATE', stream, 'test-consumers', '0', 'MKSTREAM').catch(() => undefined);
  const delivered: StreamEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (withoutRepeats(delivered).length < count) {
    if (Date.now() > deadline) {
      throw new Error(`only ${String(withoutRepeats(delivered).length)} of ${String(count)} events arrived`);
    }
    const answer = (await redis.xreadgroup(
      'GROUP',
      'test-consumers',
      'consumer-1',
      'COUNT',
      500,
      'BLOCK',
      200,
      'STREAMS',
      stream,
      '>',
    )) as [string, [string, string[]][]][] | null;
    const entries = answer?.[0]?.[1] ?? [];
    for (const entry of entries) delivered.push(parseEntry(entry));
    if (entries.length > 0) await redis.xack(stream, 'test-consumers', ...entries.map(([id]) => id));
  }
  return { delivered, distinct: withoutRepeats(delivered) };
}

/** Waits until `check` holds, polling. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface OwnRedis {
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SIGSTOP / SIGCONT: Redis takes connections and commands but answers none meanwhile. */
  pause(): void;
  resume(): void;
  dispose(): Promise<void>;
}

/** A redis-server of the test's own, started now; its data survives stop and start (appendfsync always). */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'events-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdio: 'ignore', cwd: dir },
    );
    // A fresh client per try: one whose first connect failed stays closed.
    const answers = async () => {
      const probe = new Redis(port, '127.0.0.1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => undefined);
      try {
        await probe.ping();
        return true;
      } catch {
        return undefined;
      } finally {
        probe.disconnect();
      }
    };
    await eventually(answers, 20_000);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${String(port)}`,
    start,
    stop,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
