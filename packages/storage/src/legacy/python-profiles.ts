// A connector profile as the Python Connector stored it
//   {id, name, type: sql_postgres|sql_mssql|rest_api|excel_file, host, port,
//    database, username, password, api_url, file_path, extra_params, ...}
// renamed to the current members where the meaning is the same. What this does
// not consume stays where it is, and salvage keeps it under `legacy`.
import { isJsonObject, type JsonObject } from '../repositories/json-merge-patch.js';

export const pythonConnectorTypes = {
  sql_postgres: 'sql',
  sql_mssql: 'sql',
  rest_api: 'api',
  excel_file: 'excel',
} as const;
type PythonType = keyof typeof pythonConnectorTypes;

/** Members only the Python model had: null there means "not set", so a null one says nothing and goes. */
const PYTHON_ONLY = ['host', 'port', 'database', 'username', 'password', 'api_url', 'file_path'] as const;

const isPythonType = (type: unknown): type is PythonType =>
  typeof type === 'string' && Object.hasOwn(pythonConnectorTypes, type);

export function fromPythonProfile(key: string, data: JsonObject): JsonObject {
  const profile: JsonObject = { ...data };
  if (profile.id === key) delete profile.id; // the row's key, returned as id
  for (const name of PYTHON_ONLY) if (profile[name] === null) Reflect.deleteProperty(profile, name);
  const { type } = profile;
  if (isPythonType(type)) {
    profile.type = pythonConnectorTypes[type];
    if (profile.connection_string === undefined) buildConnectionString(profile, type);
  }
  moveCredentials(profile);
  return profile;
}

/** connection_string from host, port and database (or the URL, or the file path); consumed members go. */
function buildConnectionString(profile: JsonObject, type: PythonType): void {
  const built = connectionStringOf(profile, type);
  if (!built) return;
  profile.connection_string = built.value;
  for (const name of built.consumed) Reflect.deleteProperty(profile, name);
}

function connectionStringOf(profile: JsonObject, type: PythonType): { value: string; consumed: string[] } | undefined {
  const { host, port, database, api_url: apiUrl, file_path: filePath } = profile;
  switch (type) {
    case 'rest_api':
      return typeof apiUrl === 'string' && apiUrl !== '' ? { value: apiUrl, consumed: ['api_url'] } : undefined;
    case 'excel_file':
      return typeof filePath === 'string' && filePath !== '' ? { value: filePath, consumed: ['file_path'] } : undefined;
    case 'sql_postgres':
    case 'sql_mssql': {
      if (typeof host !== 'string' || !HOST.test(host)) return undefined;
      const portText = portOf(port);
      const name = typeof database === 'string' && database !== '' ? database : undefined;
      const consumed = [
        'host',
        ...(portText === undefined ? [] : ['port']),
        ...(name === undefined ? [] : ['database']),
      ];
      return {
        value: type === 'sql_postgres' ? postgresUrl(host, portText, name) : sqlServerText(host, portText, name),
        consumed,
      };
    }
  }
}

/** A host name, an IPv4 or an IPv6 address: nothing that would change the meaning of the text around it. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?|[0-9A-Fa-f:.]+)$/;

function portOf(port: unknown): string | undefined {
  const text = typeof port === 'number' ? String(port) : typeof port === 'string' ? port.trim() : undefined;
  return text !== undefined && /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65_535
    ? String(Number(text))
    : undefined;
}

function postgresUrl(host: string, port: string | undefined, database: string | undefined): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const portPart = port === undefined ? '' : `:${port}`;
  return `postgresql://${hostPart}${portPart}/${database === undefined ? '' : encodeURIComponent(database)}`;
}

/** The ADO.NET form the guide uses: Server=host,port;Database=name; */
function sqlServerText(host: string, port: string | undefined, database: string | undefined): string {
  const server = `Server=${host}${port === undefined ? '' : `,${port}`};`;
  return database === undefined ? server : `${server}Database=${adoValue(database)};`;
}

/** A value the ADO parser reads back as it was: braced when it holds ; { } or quotes, or edge spaces. */
function adoValue(value: string): string {
  return /[;{}"']|^\s|\s$/.test(value) ? `{${value.replaceAll('}', '}}')}}` : value;
}

/** username and password into credentials, unless credentials hold a different one (then it stays, for legacy). */
function moveCredentials(profile: JsonObject): void {
  if (profile.username === undefined && profile.password === undefined) return;
  if (profile.credentials !== undefined && !isJsonObject(profile.credentials)) return;
  const credentials: JsonObject = { ...profile.credentials };
  let moved = false;
  for (const name of ['username', 'password'] as const) {
    const value = scalarText(profile[name]);
    if (value === undefined) continue;
    credentials[name] ??= value;
    if (credentials[name] === value) {
      Reflect.deleteProperty(profile, name);
      moved = true;
    }
  }
  if (moved) profile.credentials = credentials;
}

/** A user name or password the Python model may have written as a number. */
function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
