// Whether a connection pooler (PgBouncer, pgcat, a cloud proxy) sits between the
// services and PostgreSQL. Behind one in transaction mode, consecutive
// transactions of one client may run on different server sessions, so nothing
// may rely on session state: no named prepared statements, no settings sent at
// login (PgBouncer refuses statement_timeout there), no session advisory locks.
import pg from 'pg';

/**
 * PgBouncer answers a login that carries a parameter it does not track with
 * this (SQLSTATE 08P01), before any server session exists.
 */
export function isRefusedStartupParameter(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '08P01' && typeof message === 'string' && message.startsWith('unsupported startup parameter');
}

/**
 * One probe connection with the pool's own settings. PostgreSQL tells the client
 * its backend's process id at login (BackendKeyData) and pg_backend_pid() says
 * the same; a pooler hands out its own cancel key instead, so the two differ.
 * Throws what the connection threw when it could not be made at all.
 */
export async function detectPooler(options: pg.ClientConfig): Promise<boolean> {
  const client = new pg.Client(options);
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    if (isRefusedStartupParameter(error)) return true;
    throw error;
  }
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    return rows[0]?.pid !== (client as unknown as { processID: number | null }).processID;
  } finally {
    await client.end().catch(() => undefined);
  }
}
