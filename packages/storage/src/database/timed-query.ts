// A statement with its own statement_timeout, for connections that may carry no
// session settings (behind PgBouncer in transaction mode). The extended protocol
// runs everything between two Sync messages in one implicit transaction, so
// `set_config('statement_timeout', ..., true)` sent in the same pipeline, before
// the statement and its Sync, holds for that statement alone: no extra round
// trip, nothing left behind on the server session. Built on node-postgres's
// Query (pinned 8.23; the storage tests run it against PostgreSQL and PgBouncer).
import pg from 'pg';

/** The parts of node-postgres's Query this subclass extends (not in its type declarations). */
interface QueryInternals {
  prepare(connection: pg.Connection): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: pg.Connection): void;
}

const internals = pg.Query.prototype as unknown as QueryInternals;

export class TimedQuery extends pg.Query {
  /** True until the set_config's own answer has gone by: its row and command tag are not the statement's. */
  #settingAnswer = true;

  constructor(
    private readonly timeoutMs: number,
    text: string,
    values: unknown[],
    callback: (error: Error | undefined, result: pg.QueryResult) => void,
  ) {
    // 'extended': a statement without parameters too goes through Parse/Bind/Execute, in the pipeline.
    super({ text, values, queryMode: 'extended' } as pg.QueryConfig, callback as never);
  }

  prepare(connection: pg.Connection): void {
    // The unnamed statement and portal: each is replaced by the next Parse and Bind, the statement's own.
    const setting = `select set_config('statement_timeout', '${String(this.timeoutMs)}', true)`;
    connection.parse({ name: '', text: setting, types: [] }, true);
    connection.bind({}, true);
    connection.execute({ portal: '' }, true);
    internals.prepare.call(this, connection);
  }

  handleDataRow(message: unknown): void {
    if (!this.#settingAnswer) internals.handleDataRow.call(this, message);
  }

  handleCommandComplete(message: unknown, connection: pg.Connection): void {
    if (this.#settingAnswer) this.#settingAnswer = false;
    else internals.handleCommandComplete.call(this, message, connection);
  }
}

/** Runs `text` on `client` as a TimedQuery; resolves with node-postgres's usual result. */
export function timedQuery<R extends pg.QueryResultRow>(
  client: pg.ClientBase,
  timeoutMs: number,
  text: string,
  values: readonly unknown[],
): Promise<pg.QueryResult<R>> {
  return new Promise((resolve, reject) => {
    client.query(
      new TimedQuery(timeoutMs, text, [...values], (error, result) => {
        if (error) reject(error);
        else resolve(result as pg.QueryResult<R>);
      }),
    );
  });
}
