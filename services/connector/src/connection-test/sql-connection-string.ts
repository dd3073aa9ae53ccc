// A `sql` profile's connection_string, understood without a driver:
//   postgres://user:pass@host:5432/db?sslmode=require   (postgresql:// too)
//   host=db port=5432 dbname=app user=app sslmode=...   (libpq key=value)
//   mysql://user:pass@host:3306/db?ssl=true             (mariadb:// too)
//   Server=host,1433;Database=db;User Id=u;Password=p;  (SQL Server, ADO form; sqlserver:// too)
// credentials.username / credentials.password, when set, take precedence over the
// user and password inside the string. Errors never quote the string.
import { ConnectionTestError } from './errors.js';

export type SqlDialect = 'postgres' | 'mysql' | 'sqlserver';

export interface SqlTarget {
  readonly dialect: SqlDialect;
  readonly host: string;
  readonly port: number;
  readonly database: string | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** off: plain; on: TLS without certificate checks; verify: TLS with certificate and host name checks. */
  readonly tls: 'off' | 'on' | 'verify';
}

const DEFAULT_PORTS: Record<SqlDialect, number> = { postgres: 5432, mysql: 3306, sqlserver: 1433 };
const SCHEMES: Record<string, SqlDialect> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlserver: 'sqlserver',
  mssql: 'sqlserver',
};

const invalid = (message: string) => new ConnectionTestError('invalid_config', `connection_string: ${message}`);

export function parseSqlConnectionString(
  text: string,
  credentials: { username?: string | undefined; password?: string | undefined },
): SqlTarget {
  const value = text.trim();
  if (!value) throw invalid('is empty');
  let target: SqlTarget;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) target = parseUrl(value);
  else if (value.includes(';') || /^\s*(server|data source|address|addr|network address)\s*=/i.test(value))
    target = parseAdo(value);
  else if (/^\s*[a-z_]+\s*=/i.test(value)) target = parseLibpq(value);
  else
    throw invalid(
      'not recognised: expected a postgres:// or mysql:// URL, libpq key=value pairs, or Server=...;Database=...;',
    );
  return {
    ...target,
    user: credentials.username ?? target.user,
    password: credentials.password ?? target.password,
  };
}

function port(text: string | undefined, dialect: SqlDialect): number {
  if (text === undefined || text === '') return DEFAULT_PORTS[dialect];
  const number = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(number >= 1 && number <= 65_535)) throw invalid('the port must be a number from 1 to 65535');
  return number;
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(`the ${what} is not valid percent-encoding`);
  }
}

function parseUrl(value: string): SqlTarget {
  const scheme = value.slice(0, value.indexOf(':')).toLowerCase();
  const dialect = SCHEMES[scheme];
  if (!dialect)
    throw invalid(`the scheme '${scheme}' is not supported (postgres, postgresql, mysql, mariadb, sqlserver)`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('is not a valid URL');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw invalid('names no host');
  const database = url.pathname.length > 1 ? decode(url.pathname.slice(1), 'database name') : undefined;
  const query = url.searchParams;
  let tls: SqlTarget['tls'] = 'off';
  if (dialect === 'postgres') tls = postgresTls(query.get('sslmode') ?? undefined);
  else if (dialect === 'mysql') {
    const ssl = (query.get('ssl') ?? query.get('ssl-mode') ?? query.get('sslmode') ?? '').toLowerCase();
    tls = ['', 'false', 'disabled', 'preferred', '0'].includes(ssl)
      ? 'off'
      : ['verify_identity', 'verify_ca', 'verify-full'].includes(ssl)
        ? 'verify'
        : 'on';
  } else tls = sqlServerTls(query.get('encrypt') ?? undefined, query.get('trustServerCertificate') ?? undefined);
  return {
    dialect,
    host,
    port: port(url.port, dialect),
    database: database || undefined,
    user: url.username ? decode(url.username, 'user name') : undefined,
    password: url.password ? decode(url.password, 'password') : undefined,
    tls,
  };
}

function postgresTls(mode: string | undefined): SqlTarget['tls'] {
  switch (mode) {
    case undefined:
    case 'disable':
    case 'allow':
    case 'prefer':
      return 'off';
    case 'require':
      return 'on';
    case 'verify-ca':
    case 'verify-full':
      return 'verify';
    default:
      throw invalid('sslmode must be disable, allow, prefer, require, verify-ca or verify-full');
  }
}

/** libpq: `key=value` separated by spaces; values may be single-quoted with \ escapes. */
function parseLibpq(value: string): SqlTarget {
  const pairs = new Map<string, string>();
  const pattern = /\s*([a-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|([^\s']*))/giy;
  let index = 0;
  while (index < value.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(value);
    if (!match) {
      if (value.slice(index).trim() === '') break;
      throw invalid('is not a valid list of key=value pairs');
    }
    const key = (match[1] ?? '').toLowerCase();
    pairs.set(key, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? ''));
    index = pattern.lastIndex;
  }
  const host = pairs.get('hostaddr') || pairs.get('host');
  if (!host) throw invalid('names no host (host=...)');
  if (host.startsWith('/')) throw invalid('Unix-domain sockets are not supported; name a TCP host');
  if (host.includes(',')) throw invalid('several hosts are not supported; name one');
  return {
    dialect: 'postgres',
    host,
    port: port(pairs.get('port'), 'postgres'),
    database: pairs.get('dbname') || undefined,
    user: pairs.get('user') || undefined,
    password: pairs.get('password'),
    tls: postgresTls(pairs.get('sslmode')),
  };
}

/** ADO.NET / ODBC: `Key=Value;` pairs, values bare, {braced} or "quoted". */
function parseAdo(value: string): SqlTarget {
  const pairs = new Map<string, string>();
  let rest = value;
  let position = 0;
  while (rest.trim()) {
    position += 1;
    const equals = rest.indexOf('=');
    if (equals < 0) throw invalid(`entry ${position} has no '='`);
    const key = rest.slice(0, equals).trim().toLowerCase().replace(/\s+/g, ' ');
    if (!key || key.includes(';')) throw invalid(`entry ${position} has no key before '='`);
    rest = rest.slice(equals + 1).trimStart();
    let item: string;
    if (rest.startsWith('{')) {
      const end = rest.search(/\}(?!\})/);
      if (end < 0) throw invalid(`entry ${position} has an unclosed '{'`);
      item = rest.slice(1, end).replace(/\}\}/g, '}');
      rest = rest.slice(end + 1);
    } else if (rest.startsWith('"') || rest.startsWith("'")) {
      const quote = rest.charAt(0);
      let end = 1;
      for (; end < rest.length; end += 1) {
        if (rest[end] === quote) {
          if (rest[end + 1] === quote) end += 1;
          else break;
        }
      }
      if (end >= rest.length) throw invalid(`entry ${position} has an unclosed quote`);
      item = rest.slice(1, end).replaceAll(quote + quote, quote);
      rest = rest.slice(end + 1);
    } else {
      const end = rest.indexOf(';');
      item = (end < 0 ? rest : rest.slice(0, end)).trim();
      rest = end < 0 ? '' : rest.slice(end);
    }
    rest = rest.trimStart();
    if (rest && !rest.startsWith(';')) throw invalid(`entry ${position} has text after its value`);
    rest = rest.replace(/^;+/, '');
    pairs.set(key, item);
  }
  const server = ['server', 'data source', 'address', 'addr', 'network address']
    .map((key) => pairs.get(key))
    .find((v) => v !== undefined);
  if (!server?.trim()) throw invalid('Server= is missing or empty');
  const match = /^(?:tcp:)?([^,\\]+?)(?:\\([^,]*))?(?:,(\d+))?$/i.exec(server.trim());
  if (!match?.[1]) throw invalid('Server= must be host, host,port or tcp:host,port');
  const [, host, instance, portText] = match;
  if (instance && !portText)
    throw invalid('a named instance (host\\instance) needs an explicit port (host\\instance,port)');
  return {
    dialect: 'sqlserver',
    host: host === '.' || host.toLowerCase() === '(local)' ? 'localhost' : host,
    port: port(portText, 'sqlserver'),
    database: pairs.get('database') ?? pairs.get('initial catalog'),
    user: pairs.get('user id') ?? pairs.get('uid') ?? pairs.get('user'),
    password: pairs.get('password') ?? pairs.get('pwd'),
    tls: sqlServerTls(pairs.get('encrypt'), pairs.get('trustservercertificate')),
  };
}

function sqlServerTls(encrypt: string | undefined, trust: string | undefined): SqlTarget['tls'] {
  const on = (text: string | undefined, fallback: boolean) =>
    text === undefined ? fallback : ['true', 'yes', 'mandatory', 'strict', '1'].includes(text.trim().toLowerCase());
  if (!on(encrypt, true)) return 'off';
  return on(trust, false) ? 'on' : 'verify';
}
