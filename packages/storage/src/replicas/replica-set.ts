// The replicas' health, watched from this process: every PROBE_INTERVAL_MS the
// primary's WAL write position is sampled (the write position, not the insert
// position: an idle primary's insert position may sit past a page header that
// no replica ever reports replaying), and each replica says whether it is
// in recovery and how far it replayed. A replica's lag is how long ago the
// primary had already written past the point the replica replayed (0 when it
// replayed all the primary had); a replica that does not answer within
// PROBE_TIMEOUT_MS, is not in recovery, or lags more than the allowed lag
// serves no reads until a later probe finds it well again. So a replica that
// stops or falls behind is left out within a second, and taken back as soon as
// it is healthy; a read that fails on a replica in between leaves it out at once.
import pg from 'pg';
import { redactDatabaseUrl } from '../database/config.js';
import type { PoolConnections } from '../database/pool-connections.js';
import { formatLsn, parseLsn } from './lsn.js';

export const PROBE_INTERVAL_MS = 250;
/** With the interval: a replica that hangs is left out within 750 ms of its last good answer. */
export const PROBE_TIMEOUT_MS = 500;

export interface ReplicaStatus {
  /** The replica's URL without its password. */
  readonly location: string;
  /** It serves reads: it answers, is in recovery and lags no more than allowed. */
  readonly serving: boolean;
  /** How far it replayed, e.g. '0/3000148'; undefined before the first answer. */
  readonly replayed: string | undefined;
  /** Estimated replay lag; undefined while it does not answer. */
  readonly lagMs: number | undefined;
  /** Why it serves no reads, when it does not. */
  readonly reason: string | undefined;
  /** Reads it answered, and reads that failed on it (served again by the primary). */
  readonly reads: number;
  readonly failedReads: number;
}

export interface Replica {
  readonly connections: PoolConnections;
  /** A read failed on it (connection error, recovery conflict): left out until a probe says otherwise. */
  failed(error: unknown): void;
  served(): void;
}

interface Sample {
  readonly at: number;
  readonly lsn: bigint;
}

/** A connection of its own per server for the probes, so a busy pool never delays one. */
class Prober {
  #client: pg.Client | undefined;
  constructor(private readonly options: pg.ClientConfig) {}

  async query<R extends pg.QueryResultRow>(text: string): Promise<R | undefined> {
    try {
      if (!this.#client) {
        const client = new pg.Client({
          ...this.options,
          connectionTimeoutMillis: PROBE_TIMEOUT_MS,
          query_timeout: PROBE_TIMEOUT_MS,
          statement_timeout: undefined,
        });
        client.on('error', () => {
          if (this.#client === client) this.#client = undefined;
        });
        this.#client = client;
        await client.connect();
      }
      return (await this.#client.query<R>(text)).rows[0];
    } catch (error) {
      this.close();
      throw error;
    }
  }

  close(): void {
    const client = this.#client;
    this.#client = undefined;
    client?.end().catch(() => undefined);
  }
}

class ReplicaState implements Replica {
  serving = false;
  replayed: bigint | undefined;
  lagMs: number | undefined;
  reason: string | undefined = 'not checked yet';
  reads = 0;
  failedReads = 0;
  readonly prober: Prober;

  constructor(
    readonly location: string,
    readonly connections: PoolConnections,
    proberOptions: pg.ClientConfig,
  ) {
    this.prober = new Prober(proberOptions);
  }

  failed(error: unknown): void {
    this.failedReads++;
    this.leaveOut(`a read failed: ${(error as { message?: string }).message ?? String(error)}`);
  }

  served(): void {
    this.reads++;
  }

  leaveOut(reason: string): void {
    this.serving = false;
    this.reason = reason;
  }
}

export interface ReplicaSetOptions {
  readonly maxLagMs: number;
  /** The primary's connection settings (its URL: DATABASE_URL, through a pooler or not). */
  readonly primary: pg.ClientConfig;
}

export class ReplicaSet {
  readonly #replicas: ReplicaState[];
  readonly #primary: Prober;
  /** The primary's positions, oldest first, kept a little longer than the allowed lag. */
  #samples: Sample[] = [];
  #next = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #probing = new Set<object>();

  constructor(
    replicas: readonly { url: string; connections: PoolConnections; options: pg.ClientConfig }[],
    private readonly options: ReplicaSetOptions,
  ) {
    this.#replicas = replicas.map(
      ({ url, connections, options: clientOptions }) =>
        new ReplicaState(redactDatabaseUrl(url), connections, clientOptions),
    );
    this.#primary = new Prober(options.primary);
  }

  start(): void {
    void this.probe();
    this.#timer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#primary.close();
    for (const replica of this.#replicas) replica.prober.close();
  }

  /** A serving replica that replayed `minLsn` (when given), taking turns; undefined: read from the primary. */
  pick(minLsn: bigint | undefined): Replica | undefined {
    const count = this.#replicas.length;
    for (let i = 0; i < count; i++) {
      const replica = this.#replicas[(this.#next + i) % count];
      if (!replica?.serving) continue;
      if (minLsn !== undefined && (replica.replayed === undefined || replica.replayed < minLsn)) continue;
      this.#next = (this.#next + i + 1) % count;
      return replica;
    }
    return undefined;
  }

  status(): ReplicaStatus[] {
    return this.#replicas.map((replica) => ({
      location: replica.location,
      serving: replica.serving,
      replayed: replica.replayed === undefined ? undefined : formatLsn(replica.replayed),
      lagMs: replica.lagMs,
      reason: replica.serving ? undefined : replica.reason,
      reads: replica.reads,
      failedReads: replica.failedReads,
    }));
  }

  /** One round: the primary and every replica, each on its own (a server slow to answer delays no other). */
  async probe(): Promise<void> {
    await Promise.all([
      this.once(this.#primary, () => this.probePrimary()),
      ...this.#replicas.map((replica) => this.once(replica, () => this.probeReplica(replica))),
    ]);
  }

  /** Runs a target's probe unless its previous one still waits for an answer. */
  private async once(target: object, probe: () => Promise<void>): Promise<void> {
    if (this.#probing.has(target)) return;
    this.#probing.add(target);
    try {
      await probe();
    } finally {
      this.#probing.delete(target);
    }
  }

  private async probePrimary(): Promise<void> {
    try {
      const row = await this.#primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      const lsn = parseLsn(row?.lsn);
      if (lsn === undefined) return;
      const now = Date.now();
      const last = this.#samples.at(-1);
      if (!last || lsn > last.lsn) this.#samples.push({ at: now, lsn });
      const keepFrom = now - this.options.maxLagMs - 5_000;
      while (this.#samples.length > 1 && (this.#samples[1]?.at ?? now) < keepFrom) this.#samples.shift();
    } catch {
      // The primary does not answer: the replicas are judged against what it last said.
    }
  }

  private async probeReplica(replica: ReplicaState): Promise<void> {
    let row: { recovering: boolean; replayed: string | null } | undefined;
    try {
      row = await replica.prober.query(
        'select pg_is_in_recovery() as recovering, pg_last_wal_replay_lsn()::text as replayed',
      );
    } catch (error) {
      replica.lagMs = undefined;
      replica.leaveOut(`it does not answer: ${(error as { message?: string }).message ?? String(error)}`);
      return;
    }
    const replayed = parseLsn(row?.replayed ?? undefined);
    if (!row?.recovering || replayed === undefined) {
      replica.leaveOut('it is not a replica in recovery');
      return;
    }
    replica.replayed = replayed;
    replica.lagMs = this.lagOf(replayed);
    if (replica.lagMs > this.options.maxLagMs) {
      replica.leaveOut(
        `it lags ${String(replica.lagMs)} ms (DATABASE_READ_MAX_LAG_MS ${String(this.options.maxLagMs)})`,
      );
      return;
    }
    replica.serving = true;
    replica.reason = undefined;
  }

  /** How long ago the primary first stood past `replayed`: 0 when the replica has all the primary had. */
  private lagOf(replayed: bigint): number {
    const passed = this.#samples.find((sample) => sample.lsn > replayed);
    return passed === undefined ? 0 : Date.now() - passed.at;
  }
}
