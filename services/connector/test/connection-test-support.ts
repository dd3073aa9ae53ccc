// Real targets for the connection-test suites, all on this machine: a PostgreSQL
// database and a MariaDB database (with a password-protected user) holding known
// tables, a local HTTP server, a TCP server that accepts and never answers, a port
// nobody listens on, and a temporary CONNECTOR_FILES_DIR.
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { MARIADB, scratchPostgres, withMaria, type ScratchPostgres } from './source-databases.js';

export const json = { 'content-type': 'application/json' };

/** A fresh secret-looking string that must never show up in a response or log line. */
export const secret = (label: string) => `${label}-${randomBytes(6).toString('hex')}-secret`;

export interface ListeningServer {
  readonly port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A TCP server that accepts connections and never says a word. */
export async function silentServer(): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createTcpServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => closeServer(server, sockets),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

/** Closes `server` once the connections it still holds are destroyed. */
async function closeServer(server: TcpServer | Server, sockets: Iterable<Socket> = []): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
}

export interface ApiServer extends ListeningServer {
  readonly url: string;
  /** Authorization headers received on /secure. */
  readonly authorizations: (string | undefined)[];
}

export const apiRows = [
  { id: 1, name: 'Ada', price: 1.5, active: true, created: '2024-01-02', note: null },
  { id: 2, name: 'Grace', price: 2, active: false, created: '2024-01-03T10:00:00Z' },
];

/**
 * /items: a JSON array; /wrapped: {"data": [...]}; /secure: 200 only with Basic user:pass
 * or Bearer token, else 401; /slow: never answers; anything else: 404.
 */
export async function apiServer(credentials: { user: string; password: string; token: string }): Promise<ApiServer> {
  const sockets = new Set<Socket>();
  const authorizations: (string | undefined)[] = [];
  let count = 0;
  const basic = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    switch (request.url) {
      case '/items':
        send(200, apiRows);
        break;
      case '/wrapped':
        send(200, { count: 2, data: apiRows });
        break;
      case '/secure': {
        authorizations.push(request.headers.authorization);
        const ok =
          request.headers.authorization === basic || request.headers.authorization === `Bearer ${credentials.token}`;
        if (ok) send(200, [{ ok: true }]);
        else send(401, { error: 'unauthorized' });
        break;
      }
      case '/slow':
        break; // never answers
      case '/not-json':
        response.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
        break;
      default:
        send(404, { error: 'not found' });
    }
  };
  const server: Server = createHttpServer(handler);
  server.on('connection', (socket: Socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    authorizations,
    connections: () => count,
    close: () => closeServer(server, sockets),
  };
}

/**
 * A database on the test server with schemas sales (orders, customers), archive
 * (old_orders) and public (widgets, and a view widget_names).
 */
export function postgresSource(): Promise<ScratchPostgres> {
  return scratchPostgres(`
    create schema sales;
    create schema archive;
    create table sales.orders (id integer primary key, customer text not null, amount numeric(10,2), ordered_on date);
    create table sales.customers (id bigint primary key, email text);
    create table archive.old_orders (id integer not null);
    create table public.widgets (id serial primary key, label varchar(40));
    create view public.widget_names as select label from public.widgets;
  `);
}

export interface MariaSource {
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly port: number;
  drop(): Promise<void>;
}

const USER_HOSTS = ['127.0.0.1', 'localhost', '%'];

/** A database with tables items and tags, and a user with a password that may use only it. */
export async function mariaSource(): Promise<MariaSource> {
  const suffix = randomBytes(3).toString('hex');
  const database = `ct_${suffix}`;
  const user = `ct_user_${suffix}`;
  const password = secret('maria');
  await withMaria(
    async (root) => {
      await root.query(`create database ${database}`);
      await root.query(
        `create table ${database}.items (id int not null primary key, title varchar(100) null, price decimal(8,2) ` +
          'not null)',
      );
      await root.query(`create table ${database}.tags (name varchar(20) not null)`);
      for (const host of USER_HOSTS) {
        await root.query(`create user '${user}'@'${host}' identified by ?`, [password]);
        await root.query(`grant all on ${database}.* to '${user}'@'${host}'`);
      }
    },
    { multipleStatements: true },
  );
  return {
    database,
    user,
    password,
    port: MARIADB.port,
    drop: () =>
      withMaria(async (admin) => {
        await admin.query(`drop database if exists ${database}`);
        for (const host of USER_HOSTS) await admin.query(`drop user if exists '${user}'@'${host}'`);
      }),
  };
}
