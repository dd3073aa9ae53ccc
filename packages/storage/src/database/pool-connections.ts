// The pg pool as Kysely's PostgresDialect takes it, adapted to what is between
// us and PostgreSQL, which the first connection finds out (pooler-detection.ts):
// - directly to PostgreSQL: statement_timeout is set once at login, and the
//   registered hot statements go as named prepared statements;
// - through a pooler (PgBouncer in transaction mode): nothing may outlive a
//   transaction, so no names, no login settings, and statement_timeout travels
//   with each transaction: `set local` right after BEGIN (one simple-protocol
//   message), or set_config in the same pipeline as a statement of its own
//   (timed-query.ts). Neither costs a round trip.
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { isStalePlan, namedStatement } from './named-statements.js';
import { detectPooler } from './pooler-detection.js';
import { timedQuery } from './timed-query.js';

export interface ConnectionSettings {
  /** DATABASE_PREPARED_STATEMENTS: 'auto' names statements unless a pooler is found. */
  readonly preparedStatements: 'auto' | boolean;
  /** 0: none. */
  readonly statementTimeoutMs: number;
}

/** What the first connection found, and what follows from it. */
interface Decided {
  readonly throughPooler: boolean;
  readonly named: boolean;
  /** The statement timeout each transaction sets for itself; 0 when the login set it (or there is none). */
  readonly perTransactionTimeoutMs: number;
}

export interface PoolConnections extends PostgresPool {
  /** Whether a connection pooler sits in between; connects once to find out. */
  throughPooler(): Promise<boolean>;
}

/** BEGIN as Kysely sends it (with an isolation level or access mode, or without). */
const BEGIN = /^\s*(begin|start\s+transaction)\b[^;]*$/i;

export function poolConnections(pool: pg.Pool, settings: ConnectionSettings): PoolConnections {
  let decided: Promise<Decided> | undefined;
  const decide = (): Promise<Decided> =>
    (decided ??= detectPooler(pool.options).then(
      (throughPooler) => {
        // Later connections log in without it; each transaction sets it instead.
        if (throughPooler) pool.options.statement_timeout = undefined;
        return {
          throughPooler,
          named: settings.preparedStatements === 'auto' ? !throughPooler : settings.preparedStatements,
          perTransactionTimeoutMs: throughPooler ? settings.statementTimeoutMs : 0,
        };
      },
      (error: unknown) => {
        // The server is down or refused us: find out again on the next connection.
        decided = undefined;
        throw error;
      },
    ));
  // One wrapper per pooled client: Kysely keys its own connection objects by client.
  const wrappers = new WeakMap<pg.PoolClient, SettledClient>();
  return {
    async connect() {
      const how = await decide();
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = new SettledClient(client, how);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
    throughPooler: async () => (await decide()).throughPooler,
  };
}

class SettledClient implements PostgresPoolClient {
  #stale = false;
  constructor(
    private readonly client: pg.PoolClient,
    private readonly how: Decided,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    const client = this.client as unknown as PostgresPoolClient;
    if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor);
    const values = parameters ?? [];
    const timeoutMs = this.how.perTransactionTimeoutMs;
    // Idle, not inside a transaction (nor a failed one, whose ROLLBACK must go as it is).
    if (timeoutMs > 0 && (this.client.getTransactionStatus() ?? 'I') === 'I') {
      if (BEGIN.test(sqlOrCursor) && values.length === 0) return this.begin<R>(sqlOrCursor, timeoutMs);
      return timedQuery(this.client, timeoutMs, sqlOrCursor, values) as unknown as Promise<PostgresQueryResult<R>>;
    }
    const name = this.how.named ? namedStatement(sqlOrCursor) : undefined;
    if (name === undefined) return client.query<R>(sqlOrCursor, values);
    const result = this.client.query({ name, text: sqlOrCursor, values: values as unknown[] }) as unknown as Promise<
      PostgresQueryResult<R>
    >;
    return result.catch((error: unknown) => {
      if (isStalePlan(error)) this.#stale = true;
      throw error;
    });
  }

  /** BEGIN and the transaction's statement_timeout in one simple-protocol message: one round trip. */
  private async begin<R>(begin: string, timeoutMs: number): Promise<PostgresQueryResult<R>> {
    const results = (await this.client.query(
      `${begin}; set local statement_timeout = ${String(timeoutMs)}`,
    )) as unknown as PostgresQueryResult<R>[];
    return results[0] as PostgresQueryResult<R>;
  }

  release(destroy?: boolean): void {
    this.client.release(destroy === true || this.#stale);
  }
}

/** The pool behind each Kysely instance openDatabase made: the migrator asks it whether a pooler is in between. */
const poolsByDatabase = new WeakMap<object, PoolConnections>();

export function rememberPool(db: object, connections: PoolConnections): void {
  poolsByDatabase.set(db, connections);
}

/** undefined for a Kysely instance openDatabase did not make on PostgreSQL (embedded, or a test's own). */
export async function reachesThroughPooler(db: object): Promise<boolean | undefined> {
  return poolsByDatabase.get(db)?.throughPooler();
}
