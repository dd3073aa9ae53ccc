// The pool Kysely gets when replicas are configured. Outside a read context it
// is the primary's pool, unchanged. Inside one (a read route), a connection is
// bound on its first statement: a plain SELECT goes to a serving replica that
// replayed the request's consistency token, anything else (a write, BEGIN, a
// locking read) to the primary, and the request stays on the primary after it.
// A read that fails on a replica for want of the replica (connection lost,
// refused, recovery conflict) leaves the replica out and runs on the primary,
// so a replica going away costs no request an error.
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { PoolConnections } from '../database/pool-connections.js';
import { isDatabaseUnavailable } from '../database/unavailable.js';
import { isPlainRead, readContexts, type ReadContext } from './read-context.js';
import type { Replica, ReplicaSet } from './replica-set.js';

/** A replica cancelled the read to replay WAL (hot standby conflict): the primary answers it instead. */
const RECOVERY_CONFLICT = '40001';

function replicaWasTheProblem(error: unknown): boolean {
  return isDatabaseUnavailable(error) || (error as { code?: unknown }).code === RECOVERY_CONFLICT;
}

export function routingPool(primary: PoolConnections, replicas: ReplicaSet, end: () => Promise<void>): PostgresPool {
  return {
    async connect() {
      const context = readContexts.getStore();
      if (!context || context.primaryOnly) return primary.connect();
      return new BoundOnFirstStatement(context, primary, replicas);
    },
    end,
  };
}

interface Bound {
  readonly client: PostgresPoolClient;
  readonly replica: Replica | undefined;
}

class BoundOnFirstStatement implements PostgresPoolClient {
  #bound: Bound | undefined;

  constructor(
    private readonly context: ReadContext,
    private readonly primary: PoolConnections,
    private readonly replicas: ReplicaSet,
  ) {}

  /** A statement binds the client to a server on first use; a cursor needs it bound already. */
  readonly query = ((sqlOrCursor: string | PostgresCursor<unknown>, parameters?: ReadonlyArray<unknown>) => {
    if (typeof sqlOrCursor === 'string') return this.run(sqlOrCursor, parameters ?? []);
    if (!this.#bound) throw new Error('a streamed query in a read route: stream outside it, or read first');
    return this.#bound.client.query(sqlOrCursor);
  }) as PostgresPoolClient['query'];

  private async run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    const bound = this.#bound ?? (await this.bind(sql));
    if (!bound.replica) return bound.client.query<R>(sql, parameters);
    try {
      const result = await bound.client.query<R>(sql, parameters);
      bound.replica.served();
      return result;
    } catch (error) {
      if (!replicaWasTheProblem(error)) throw error;
      bound.replica.failed(error);
      bound.client.release(true);
      this.#bound = { client: await this.primary.connect(), replica: undefined };
      return this.#bound.client.query<R>(sql, parameters);
    }
  }

  private async bind(sql: string): Promise<Bound> {
    const replica = isPlainRead(sql) && !this.context.primaryOnly ? this.replicas.pick(this.context.minLsn) : undefined;
    if (!replica) this.context.primaryOnly ||= !isPlainRead(sql);
    if (replica) {
      try {
        this.#bound = { client: await replica.connections.connect(), replica };
        return this.#bound;
      } catch (error) {
        replica.failed(error);
      }
    }
    this.#bound = { client: await this.primary.connect(), replica: undefined };
    return this.#bound;
  }

  release(destroy?: boolean): void {
    this.#bound?.client.release(destroy);
    this.#bound = undefined;
  }
}
