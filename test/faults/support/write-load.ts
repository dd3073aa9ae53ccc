// A bounded write load on the running services: a few concurrent writers, each
// creating client configs and connector profiles under explicit unique ids,
// merge-patching its own clients and creating proposals under ids the service
// generates (the one write a retry inside the service could store twice), and
// recording every write's outcome. Writers never retry: a retry is the
// client's decision, and the verdict is about what the service did.
import { outcomeOfAnswer, outcomeOfError, socketErrorCode, type Outcome } from './write-outcome.js';

export type WriteKind = 'client' | 'profile' | 'patch' | 'proposal';

export interface WriteRecord {
  readonly kind: WriteKind;
  /**
   * Unique per write, stored in the document: a client's or profile's name, a patch's preferences member, a proposal's
   * consultant.
   */
  readonly token: string;
  readonly outcome: Outcome;
  readonly status?: number;
  readonly code?: string | undefined;
  readonly retryAfter?: string | null;
  /** A socket error code or the fetch error's name, when no answer came. */
  readonly error?: string;
  readonly startedAt: number;
  readonly elapsedMs: number;
}

export interface Endpoints {
  readonly demoConfigUrl: string;
  readonly connectorUrl: string;
}

/** A client gives up on a request after this long: a hang shows as an 'unknown' that took this long. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface LoadOptions {
  readonly writers?: number;
}

export interface WriteLoad {
  readonly records: WriteRecord[];
  /** Acknowledged so far. */
  acknowledged(): number;
  /** Requests sent and not yet answered. */
  inFlight(): number;
  /** Stops starting new writes and waits for the ones in flight. */
  stop(): Promise<WriteRecord[]>;
}

interface WriteRequest {
  readonly method: 'POST' | 'PATCH';
  readonly url: string;
  readonly body: unknown;
}

export function startWriteLoad(endpoints: Endpoints, name: string, options: LoadOptions = {}): WriteLoad {
  const records: WriteRecord[] = [];
  let running = true;
  let inFlight = 0;

  const send = async (kind: WriteKind, token: string, request: WriteRequest): Promise<WriteRecord> => {
    const startedAt = Date.now();
    inFlight++;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      const body = parseObject(text);
      // Only the service's own error body (it carries a requestId) names a code.
      const code = typeof body.code === 'string' && typeof body.requestId === 'string' ? body.code : undefined;
      const answer = {
        status: response.status,
        code,
        retryAfter: response.headers.get('retry-after'),
      };
      return { kind, token, outcome: outcomeOfAnswer(answer), ...answer, startedAt, elapsedMs: Date.now() - startedAt };
    } catch (error) {
      return {
        kind,
        token,
        outcome: outcomeOfError(error),
        error: socketErrorCode(error),
        startedAt,
        elapsedMs: Date.now() - startedAt,
      };
    } finally {
      inFlight--;
    }
  };

  const writer = async (w: number) => {
    const ownClients: string[] = [];
    for (let i = 0; running; i++) {
      const token = `${name}-${w}-${i}`;
      const target = ownClients[i % Math.max(ownClients.length, 1)];
      const wanted = (['client', 'profile', 'patch', 'client', 'proposal'] as const)[i % 5] ?? 'client';
      // Patches and proposals need a client this writer created; until it has one, it creates one.
      const kind: WriteKind = target === undefined && (wanted === 'patch' || wanted === 'proposal') ? 'client' : wanted;
      const record = await send(kind, token, requestFor(endpoints, kind, token, target ?? token));
      records.push(record);
      if (record.outcome === 'acknowledged' && kind === 'client') ownClients.push(token);
      // A client backs off a little after a refusal instead of spinning on it.
      if (record.outcome !== 'acknowledged') await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const writers = Array.from({ length: options.writers ?? 6 }, (_, w) => writer(w));

  return {
    records,
    acknowledged: () => records.filter((r) => r.outcome === 'acknowledged').length,
    inFlight: () => inFlight,
    stop: async () => {
      running = false;
      await Promise.all(writers);
      return records;
    },
  };
}

function requestFor(endpoints: Endpoints, kind: WriteKind, token: string, client: string): WriteRequest {
  switch (kind) {
    case 'client':
      return {
        method: 'POST',
        url: `${endpoints.demoConfigUrl}/demo/clients`,
        body: { client_id: token, client_name: token, license_type: 'professional', modules: ['SCOR'] },
      };
    case 'profile':
      return {
        method: 'POST',
        url: `${endpoints.connectorUrl}/connector/profiles`,
        body: { id: token, name: token, type: 'sql' },
      };
    case 'patch':
      // Merge patch adds one preferences member per write, so every acknowledged patch stays visible.
      return {
        method: 'PATCH',
        url: `${endpoints.demoConfigUrl}/demo/clients/${encodeURIComponent(client)}`,
        body: { preferences: { [token]: true } },
      };
    case 'proposal':
      // No proposal_id: the service generates one, so a write stored twice shows as two rows with one token.
      return {
        method: 'POST',
        url: `${endpoints.demoConfigUrl}/demo/proposals`,
        body: { client_id: client, proposal_type: 'consulting', resources: { consultants: [token] } },
      };
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Waits until the load has this many acknowledged writes (or fails after the deadline). */
/** Waits until at least `count` writes await their answer, so that a fault cuts some mid-way; returns how many. */
export async function untilInFlight(load: WriteLoad, count: number, deadlineMs = 10_000): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  while (load.inFlight() < count) {
    if (Date.now() > deadline) throw new Error(`never ${count} writes in flight in ${deadlineMs} ms`);
    // setImmediate, not a timer: the window between answers is short.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return load.inFlight();
}

export async function untilAcknowledged(load: WriteLoad, count: number, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (load.acknowledged() < count) {
    if (Date.now() > deadline)
      throw new Error(`only ${load.acknowledged()} of ${count} writes acknowledged in ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
