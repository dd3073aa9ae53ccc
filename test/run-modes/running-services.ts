// Starts `pnpm start`'s entry point as a child process, the way a user runs it,
// and waits until both services say they are ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_ENV } from '@analytics-engine/http/testing';
import { captureOutput } from '../../bench/child-output.js';

const entry = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url));

export interface RunningProcess {
  readonly child: ChildProcess;
  readonly connectorUrl: string;
  readonly demoConfigUrl: string;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or signal name) once it has exited. */
  readonly exited: Promise<number | string>;
}

export function startProcess(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | string>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      CONNECTOR_PORT: '0',
      DEMO_CONFIG_PORT: '0',
      LOG_LEVEL: 'info',
      ...TEST_ENV,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { child, output, exited };
}

export async function startServices(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<RunningProcess> {
  const started = startProcess(env);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connector = /Connector Service ready at (http:\/\/\S+) /.exec(started.output())?.[1];
    const demo = /Demo Config Service ready at (http:\/\/\S+) /.exec(started.output())?.[1];
    if (connector && demo) return { ...started, connectorUrl: connector, demoConfigUrl: demo };
    if (started.child.exitCode !== null || Date.now() > deadline) {
      started.child.kill('SIGKILL');
      throw new Error(`services did not start:\n${started.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function stop(
  running: { child: ChildProcess; exited: Promise<number | string> },
  signal: NodeJS.Signals = 'SIGTERM',
) {
  running.child.kill(signal);
  return running.exited;
}

export async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
