// `sql` profiles: PostgreSQL (pg), MySQL/MariaDB (mysql2) and SQL Server
// (tedious). Every driver connects to the address the egress policy approved, with
// the connect timeout, and is torn down when the deadline passes. Failures are
// classified from driver error codes (SQLSTATE, MySQL error names, tedious codes).
import { isIP, type Socket } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { Connection, Request, TYPES } from 'tedious';
import { discoverSql, type SqlQuery } from './discovery.js';
import { ConnectionTestError, errorCodeOf, errorLabel, findConnectionTestError, networkFailure } from './errors.js';
import { delay, pinnedSocket, type ProbeContext, type ProbeInput, type ProbeResult } from './probe.js';
import { parseSqlConnectionString, type SqlTarget } from './sql-connection-string.js';

export async function probeSql(input: ProbeInput, context: ProbeContext): Promise<ProbeResult> {
  if (!input.connectionString) throw new ConnectionTestError('invalid_config', 'connection_string is required for sql profiles');
  const target = parseSqlConnectionString(input.connectionString, { username: input.username, password: input.password });
  if (!target.user) throw new ConnectionTestError('invalid_config', 'no user name: set credentials.username or a user in connection_string');
  const { address } = await context.policy.resolve(target.host, target.port);
  const where = `${target.host}:${target.port}`;
  try {
    switch (target.dialect) {
      case 'postgres':
        return await probePostgres(target, address, context);
      case 'mysql':
        return await probeMysql(target, address, context);
      case 'sqlserver':
        return await probeSqlServer(target, address, context);
    }
  } catch (error) {
    throw findConnectionTestError(error) ?? classify(target.dialect, error, where);
  }
}

function classify(dialect: SqlTarget['dialect'], error: unknown, where: string): ConnectionTestError {
  if (dialect === 'postgres') return postgresFailure(error, where);
  if (dialect === 'mysql') return mysqlFailure(error, where);
  return sqlServerFailure(error, where);
}

// --- PostgreSQL -----------------------------------------------------------------

async function probePostgres(target: SqlTarget, address: string, context: ProbeContext): Promise<ProbeResult> {
  // Every setting explicit: pg would otherwise fall back to PGPASSWORD, PGSSLMODE,
  // ~/.pgpass and the like, i.e. the service's own credentials, for a foreign host.
  const client = new pg.Client({
    host: address,
    port: target.port,
    user: target.user,
    password: target.password ?? '',
    database: target.database ?? target.user,
    ssl: target.tls === 'off' ? false : { rejectUnauthorized: target.tls === 'verify', ...(isIP(target.host) ? {} : { servername: target.host }) },
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
    if (!context.discover) return {};
    const discovery = await discoverSql('postgres', context.discover, async ({ text, params }: SqlQuery) => (await client.query(text, params)).rows as Record<string, unknown>[]);
    return { discovery };
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
    if (code === '28P01' || code === '28000') return new ConnectionTestError('auth_failed', `${where}: authentication failed (SQLSTATE ${code})`);
    if (code === '42501') return new ConnectionTestError('auth_failed', `${where}: permission denied (SQLSTATE ${code})`);
    if (code === '3D000') return new ConnectionTestError('not_found', `${where}: the database does not exist (SQLSTATE ${code})`);
    if (code === '57014') return new ConnectionTestError('timeout', `${where}: the query was cancelled at the deadline (SQLSTATE ${code})`);
    return new ConnectionTestError('unreachable', `${where}: the server refused the connection (SQLSTATE ${code})`);
  }
  // pg's own errors carry no code; their fixed texts are matched, never echoed.
  const message = error instanceof Error ? error.message : '';
  if (/timeout/i.test(message)) return new ConnectionTestError('timeout', `${where}: no answer within the connect timeout`);
  if (/\bSSL\b|\bTLS\b/i.test(message)) return new ConnectionTestError('tls', `${where}: the TLS negotiation failed`);
  if (/SASL|SCRAM|password/i.test(message)) return new ConnectionTestError('auth_failed', `${where}: authentication failed`);
  return new ConnectionTestError('unreachable', `${where}: the connection failed (${errorLabel(error)})`);
}

// --- MySQL / MariaDB ------------------------------------------------------------

async function probeMysql(target: SqlTarget, address: string, context: ProbeContext): Promise<ProbeResult> {
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
      ...(target.tls === 'off' ? {} : { ssl: { rejectUnauthorized: target.tls === 'verify', verifyIdentity: target.tls === 'verify' } }),
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
    await query({ text: 'SELECT 1', params: [] });
    if (!context.discover) return {};
    // MySQL's schemas are its databases: by default discovery stays in the one named.
    const options = context.discover.include.length === 0 && target.database ? { ...context.discover, include: [target.database] } : context.discover;
    return { discovery: await discoverSql('mysql', options, query) };
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

async function probeSqlServer(target: SqlTarget, address: string, context: ProbeContext): Promise<ProbeResult> {
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
          request.addParameter(`p${index + 1}`, TYPES.NVarChar, value);
        });
        request.on('row', (columns: { metadata: { colName: string }; value: unknown }[]) => {
          rows.push(Object.fromEntries(columns.map((column) => [column.metadata.colName, column.value])));
        });
        connection.execSql(request);
      });
    await query({ text: 'SELECT 1 AS one', params: [] });
    if (!context.discover) return {};
    return { discovery: await discoverSql('sqlserver', context.discover, query) };
  } finally {
    context.signal.removeEventListener('abort', destroy);
    destroy();
  }
}

function sqlServerFailure(error: unknown, where: string): ConnectionTestError {
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (code === 'ELOGIN') return new ConnectionTestError('auth_failed', `${where}: login failed (ELOGIN)`);
  if (code === 'ETIMEOUT') return new ConnectionTestError('timeout', `${where}: no answer within the connect timeout (ETIMEOUT)`);
  if (code === 'EENCRYPT') return new ConnectionTestError('tls', `${where}: the TLS negotiation failed (EENCRYPT)`);
  const network = networkFailure(errorCodeOf(cause), where) ?? (typeof code === 'string' && code !== 'ESOCKET' ? networkFailure(code, where) : undefined);
  if (network) return network;
  return new ConnectionTestError('unreachable', `${where}: the connection failed (${errorLabel(error)})`);
}
