// What every source's probe receives and returns.
import { connect, type Socket } from 'node:net';
import type { Discovery, DiscoveryOptions } from './discovery.js';
import type { EgressPolicy } from './egress-policy.js';

export interface ProbeContext {
  readonly policy: EgressPolicy;
  readonly connectTimeoutMs: number;
  /** The overall deadline; `signal` aborts when it passes, and the probe must then release everything it holds. */
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
  /** Present when the caller asked for discovery. */
  readonly discover: DiscoveryOptions | undefined;
  readonly filesDir: string | undefined;
}

export interface ProbeInput {
  readonly connectionString: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
}

export interface ProbeResult {
  readonly discovery?: Discovery;
}

/** A TCP socket to an address the policy already approved; errors ETIMEDOUT after timeoutMs without a connection. */
export function pinnedSocket(address: string, port: number, timeoutMs: number, signal: AbortSignal): Socket {
  const socket = connect({ host: address, port });
  const timer = setTimeout(() => {
    socket.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' }));
  }, timeoutMs);
  const onAbort = () => socket.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  socket.once('connect', () => {
    clearTimeout(timer);
  });
  socket.once('close', () => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  });
  return socket;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
