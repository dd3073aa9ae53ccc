// The measured processes: the real services (scripts/start.ts, both services in
// one process, as `pnpm start` runs them) and the bare server, each a child.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { captureOutput } from './child-output.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  readonly pid: number;
  /** Base URL by listener name. */
  readonly urls: Record<string, string>;
  /** SIGTERM, then wait for the exit (the services finish in-flight requests). */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function spawnChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  label: string,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child, 20_000);
  child.once('exit', (code, signal) => {
    if (!stopping.has(child))
      process.stderr.write(
        `${label} exited unexpectedly (code ${code ?? '-'}, signal ${signal ?? '-'}):\n${output()}\n`,
      );
  });
  return { child, output };
}

async function waitUntil(
  check: () => Promise<boolean>,
  child: ChildProcess,
  output: () => string,
  label: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited during start:\n${output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${label} not ready after ${timeoutMs} ms:\n${output()}`);
}

/** Children the benchmark is stopping itself: their exit is expected. */
const stopping = new WeakSet<ChildProcess>();

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      stopping.add(child);
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

const ready = (url: string) => async () => (await fetch(`${url}/ready`)).ok;

export interface ServiceOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeFlags?: readonly string[];
}

/**
 * LOG_LEVEL=warn silences the "ready at" lines, so the ports are chosen here
 * and readiness is GET /ready on each (it also proves the migrations ran).
 */
export async function startServices(options: ServiceOptions): Promise<Child> {
  const connectorPort = await freePort();
  const demoPort = await freePort();
  const env = {
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    CONNECTOR_PORT: String(connectorPort),
    DEMO_CONFIG_PORT: String(demoPort),
    ...options.env,
  };
  const { child, output } = spawnChild(
    // As `pnpm start` runs them (package.json), with the same young-generation size.
    [...(options.nodeFlags ?? []), '--max-semi-space-size=32', '--import', 'tsx', 'scripts/start.ts'],
    env,
    'services',
  );
  const urls = { connector: `http://127.0.0.1:${connectorPort}`, demo: `http://127.0.0.1:${demoPort}` };
  await waitUntil(async () => (await ready(urls.connector)()) && (await ready(urls.demo)()), child, output, 'services');
  if (child.pid === undefined) throw new Error('services: no pid');
  return { pid: child.pid, urls, stop: stopper(child) };
}

/** Runs a bench script (the bare server, the peer) on a free port; ready once it prints `readyLine`. */
export async function startScript(
  script: string,
  env: NodeJS.ProcessEnv,
  label: string,
  readyLine: string,
  nodeFlags: readonly string[] = [],
): Promise<Child> {
  const port = await freePort();
  const { child, output } = spawnChild(
    [...nodeFlags, '--import', 'tsx', script],
    { ...env, PORT: String(port) },
    label,
  );
  await waitUntil(() => Promise.resolve(output().includes(readyLine)), child, output, label);
  if (child.pid === undefined) throw new Error(`${label}: no pid`);
  const url = `http://127.0.0.1:${port}`;
  return { pid: child.pid, urls: { connector: url, demo: url }, stop: stopper(child) };
}

export function startBare(env: NodeJS.ProcessEnv, nodeFlags: readonly string[] = []): Promise<Child> {
  return startScript('bench/bare-server.ts', env, 'bare server', 'bare ready at', nodeFlags);
}
