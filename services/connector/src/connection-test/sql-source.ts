// `sql` profiles: PostgreSQL (pg), MySQL/MariaDB (mysql2) and SQL Server
// (tedious). Every driver connects to the address the egress policy approved, with
// the connect timeout, and is torn down when the deadline passes. Failures are
// classified from driver error codes (SQLSTATE, MySQL error names, tedious codes).
import { isIP, type Socket } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { Connection, Request, TYPES } from 'tedious';
import { discoverSql, type RunQuery, type SqlQuery } from './discovery.js';
import { ConnectionTestError, errorCodeOf, errorLabel, findConnectionTestError, networkFailure } from './errors.js';
import { PreviewRequestError } from './preview-errors.js';
import { delay, pinnedSocket, type ProbeContext, type ProbeInput, type ProbeResult } from './probe.js';
import { parseSqlConnectionString, type SqlDialect, type SqlTarget } from './sql-connection-string.js';

/** One open connection to a SQL source: bound queries, and the driver's own identifier quoting. */
export interface SqlSession {
  readonly dialect: SqlDialect;
  /** MySQL dialect only: the server is MariaDB (its statement timeout is spelt differently). */
  readonly mariadb: boolean;
  readonly target: SqlTarget;
  readonly query: RunQuery;
  /** One identifier quoted for this dialect (never a dotted path). */
  quote(identifier: string): string;
}

/** What a dialect's opener gets: the target, the address the policy approved, the deadline, and the work. */
interface Opening<T> {
  readonly target: SqlTarget;
  readonly address: string;
  readonly context: ProbeContext;
  readonly use: (session: SqlSession) => Promise<T>;
}

export async function probeSql(input: ProbeInput, context: ProbeContext): Promise<ProbeResult> {
  return withSqlSession(input, context, async (session) => {
    const discover = context.discover;
    if (!discover) return {};
    // MySQL's schemas are its databases: by default discovery stays in the one named.
    const database = session.target.database;
    const options =
      session.dialect === 'mysql' && discover.include.length === 0 && database
        ? { ...discover, include: [database] }
        : discover;
    return { discovery: await discoverSql(session.dialect, options, session.query) };
  });
}

/** Connects (policy, connect timeout, deadline), checks with SELECT 1, runs `use`, and closes. */
export async function withSqlSession<T>(
  input: ProbeInput,
  context: ProbeContext,
  use: (session: SqlSession) => Promise<T>,
): Promise<T> {
  if (!input.connectionString)
    throw new ConnectionTestError('invalid_config', 'connection_string is required for sql profiles');
  const target = parseSqlConnectionString(input.connectionString, {
    username: input.username,
    password: input.password,
  });
  if (!target.user)
    throw new ConnectionTestError(
      'invalid_config',
      'no user name: set credentials.username or a user in connection_string',
    );
  const { address } = await context.policy.resolve(target.host, target.port);
  const where = `${target.host}:${target.port}`;
  const opening = { target, address, context, use };
  try {
    switch (target.dialect) {
      case 'postgres':
        return await withPostgres(opening);
      case 'mysql':
        return await withMysql(opening);
      case 'sqlserver':
        return await withSqlServer(opening);
    }
  } catch (error) {
    // What the caller asked for and the source lacks is the caller's problem, not the source's.
    if (error instanceof PreviewRequestError) throw error;
    throw findConnectionTestError(error) ?? classify(target.dialect, error, where);
  }
}

function classify(dialect: SqlTarget['dialect'], error: unknown, where: string): ConnectionTestError {
  if (dialect === 'postgres') return postgresFailure(error, where);
  if (dialect === 'mysql') return mysqlFailure(error, where);
  return sqlServerFailure(error, where);
}

// --- PostgreSQL -----------------------------------------------------------------

async function withPostgres<T>({ target, address, context, use }: Opening<T>): Promise<T> {
  // Every setting explicit: pg would otherwise fall back to PGPASSWORD, PGSSLMODE,
  // ~/.pgpass and the like, i.e. the service's own credentials, for a foreign host.
  const client = new pg.Client({
    host: address,
    port: target.port,
    user: target.user,
    password: target.password ?? '',
    database: target.database ?? target.user,
    ssl:
      target.tls === 'off'
        ? false
        : { rejectUnauthorized: target.tls === 'verify', ...(isIP(target.host) ? {} : { servername: target.host }) },
    connectionTimeoutMillis: context.connectTimeoutMs,
    query_timeout: context.deadlineMs,
    statement_timeout: context.deadlineMs,
    application_name: 'analytics-engine-connector-test',
  });
  const socket = () => (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
  const destroy = () => socket()?.destroy();
  client.on('error', () => undefined);
  context.signal.addEventListener('abort', destroy, { once: true });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return await use({
      dialect: 'postgres',
      mariadb: false,
      target,
      query: async ({ text, params }: SqlQuery) => (await client.query(text, params)).rows as Record<string, unknown>[],
      quote: (identifier) => client.escapeIdentifier(identifier),
    });
  } finally {
    context.signal.removeEventListener('abort', destroy);
    await Promise.race([client.end().catch(() => undefined), delay(1_000)]);
    destroy();
  }
}

function postgresFailure(error: unknown, where: string): ConnectionTestError {
  const code = errorCodeOf(error);
  const network = networkFailure(code, where);
  if (network) return network;
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    if (code === '28P01' || code === '28000')
      return new ConnectionTestError('auth_failed', `${where}: authentication failed (SQLSTATE ${code})`);
    if (code === '42501')
      return new ConnectionTestError('auth_failed', `${where}: permission denied (SQLSTATE ${code})`);
    if (code === '3D000')
      return new ConnectionTestError('not_found', `${where}: the database does not exist (SQLSTATE ${code})`);
    if (code === '57014')
      return new ConnectionTestError('timeout', `${where}: the query was cancelled at the deadline (SQLSTATE ${code})`);
    return new ConnectionTestError('unreachable', `${where}: the server refused the connection (SQLSTATE ${code})`);
  }
  // pg's own errors carry no code; their fixed texts are matched, never echoed.
  const message = error instanceof Error ? error.message : '';
  if (/timeout/i.test(message))
    return new ConnectionTestError('timeout', `${where}: no answer within the connect timeout`);
  if (/\bSSL\b|\bTLS\b/i.test(message)) return new ConnectionTestError('tls', `${where}: the TLS negotiation failed`);
  if (/SASL|SCRAM|password/i.test(message))
    return new ConnectionTestError('auth_failed', `${where}: authentication failed`);
  return new ConnectionTestError('unreachable', `${where}: the connection failed (${errorLabel(error)})`);
}

// --- MySQL / MariaDB ------------------------------------------------------------

async function withMysql<T>({ target, address, context, use }: Opening<T>): Promise<T> {
  let socket: Socket | undefined;
  const destroy = () => socket?.destroy();
  context.signal.addEventListener('abort', destroy, { once: true });
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password ?? '',
      ...(target.database ? { database: target.database } : {}),
      connectTimeout: context.connectTimeoutMs,
      ...(target.tls === 'off'
        ? {}
        : { ssl: { rejectUnauthorized: target.tls === 'verify', verifyIdentity: target.tls === 'verify' } }),
      // A server must not be able to ask for this machine's files (LOAD DATA LOCAL).
      flags: ['-LOCAL_FILES'],
      stream: () => (socket = pinnedSocket(address, target.port, context.connectTimeoutMs, context.signal)),
    });
    connection.on('error', () => undefined);
    const open = connection;
    const query = async ({ text, params }: SqlQuery) => {
      const [rows] = await open.query({ sql: text, values: params, timeout: context.deadlineMs });
      return rows as Record<string, unknown>[];
    };
    const [version] = await query({ text: 'SELECT VERSION() AS v', params: [] });
    return await use({
      dialect: 'mysql',
      mariadb: typeof version?.v === 'string' && /mariadb/i.test(version.v),
      target,
      query,
      // forbidQualified: a dot is part of the name, never a schema separator.
      quote: (identifier) => mysql.escapeId(identifier, true),
    });
  } finally {
    context.signal.removeEventListener('abort', destroy);
    if (connection) await Promise.race([connection.end().catch(() => undefined), delay(1_000)]);
    destroy();
  }
}

function mysqlFailure(error: unknown, where: string): ConnectionTestError {
  const code = errorCodeOf(error);
  const network = networkFailure(code, where);
  if (network) return network;
  switch (code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_NOT_SUPPORTED_AUTH_MODE':
    case 'ER_HOST_NOT_PRIVILEGED':
    case 'ER_TABLEACCESS_DENIED_ERROR':
      return new ConnectionTestError('auth_failed', `${where}: access denied (${code})`);
    case 'ER_BAD_DB_ERROR':
      return new ConnectionTestError('not_found', `${where}: the database does not exist (${code})`);
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return new ConnectionTestError('tls', `${where}: the server does not support TLS (${code})`);
    case 'PROTOCOL_SEQUENCE_TIMEOUT':
      return new ConnectionTestError('timeout', `${where}: no answer in time (${code})`);
    default:
      return new ConnectionTestError('unreachable', `${where}: the connection failed (${code ?? errorLabel(error)})`);
  }
}

// --- SQL Server -----------------------------------------------------------------

async function withSqlServer<T>({ target, address, context, use }: Opening<T>): Promise<T> {
  let socket: Socket | undefined;
  const connection = new Connection({
    server: target.host,
    authentication: { type: 'default', options: { userName: target.user, password: target.password ?? '' } },
    options: {
      port: target.port,
      ...(target.database ? { database: target.database } : {}),
      encrypt: target.tls !== 'off',
      trustServerCertificate: target.tls === 'on',
      connectTimeout: context.connectTimeoutMs,
      requestTimeout: context.deadlineMs,
      connector: () =>
        new Promise<Socket>((resolve, reject) => {
          const pinned = pinnedSocket(address, target.port, context.connectTimeoutMs, context.signal);
          socket = pinned;
          pinned.once('connect', () => {
            resolve(pinned);
          });
          pinned.once('error', reject);
        }),
    },
  });
  connection.on('error', () => undefined);
  const destroy = () => {
    connection.close();
    socket?.destroy();
  };
  context.signal.addEventListener('abort', destroy, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      connection.connect((error) => {
        if (error) reject(error);
        else resolve();
      });
    });
    const query = ({ text, params }: SqlQuery) =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const rows: Record<string, unknown>[] = [];
        const request = new Request(text, (error) => {
          if (error) reject(error);
          else resolve(rows);
        });
        params.forEach((value, index) => {
          request.addParameter(`p${index + 1}`, typeof value === 'number' ? TYPES.Int : TYPES.NVarChar, value);
        });
        request.on('row', (columns: { metadata: { colName: string }; value: unknown }[]) => {
          rows.push(Object.fromEntries(columns.map((column) => [column.metadata.colName, column.value])));
        });
        connection.execSql(request);
      });
    await query({ text: 'SELECT 1 AS one', params: [] });
    // tedious has no identifier quoting of its own: QUOTENAME's rule, ] doubled inside [ ].
    return await use({
      dialect: 'sqlserver',
      mariadb: false,
      target,
      query,
      quote: (identifier) => `[${identifier.replaceAll(']', ']]')}]`,
    });
  } finally {
    context.signal.removeEventListener('abort', destroy);
    destroy();
  }
}

function sqlServerFailure(error: unknown, where: string): ConnectionTestError {
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (code === 'ELOGIN') return new ConnectionTestError('auth_failed', `${where}: login failed (ELOGIN)`);
  if (code === 'ETIMEOUT')
    return new ConnectionTestError('timeout', `${where}: no answer within the connect timeout (ETIMEOUT)`);
  if (code === 'EENCRYPT') return new ConnectionTestError('tls', `${where}: the TLS negotiation failed (EENCRYPT)`);
  const network =
    networkFailure(errorCodeOf(cause), where) ??
    (typeof code === 'string' && code !== 'ESOCKET' ? networkFailure(code, where) : undefined);
  if (network) return network;
  return new ConnectionTestError('unreachable', `${where}: the connection failed (${errorLabel(error)})`);
}
