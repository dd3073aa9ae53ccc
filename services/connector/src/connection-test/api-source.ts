// `api` profiles: GET connection_string (http or https). Credentials: a username
// (with or without password) sends Basic; a password alone is a Bearer token.
// User-info in the URL is used as Basic when no credentials are set, and never
// sent in the URL. Redirects are not followed. 401/403 -> auth_failed, 404/410 ->
// not_found. Discovery reads at most 5 MiB of a JSON array of objects (or the
// first array property of a JSON object) and infers columns from its first 100 rows.
import { Agent, request } from 'undici';
import { ColumnInference } from './column-inference.js';
import type { Discovery } from './discovery.js';
import { ConnectionTestError, errorCodeOf, errorLabel, findConnectionTestError, networkFailure } from './errors.js';
import type { ProbeContext, ProbeInput, ProbeResult } from './probe.js';

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const SAMPLE_ROWS = 100;

export async function probeApi(input: ProbeInput, context: ProbeContext): Promise<ProbeResult> {
  const discover = context.discover;
  const fetched = await fetchApi(input, context, discover !== undefined);
  if (!discover || !fetched) return {};
  return { discovery: discoverJson(fetched.body, fetched.url, fetched.where, discover.maxTables) };
}

export interface FetchedJson {
  readonly url: URL;
  /** scheme://host:port, for messages (never user-info). */
  readonly where: string;
  readonly body: unknown;
}

/**
 * GETs the profile's URL under the policy and the deadline; with `read`, at most
 * 5 MiB of the body parsed as JSON (else the body is dropped and undefined returned).
 */
export async function fetchApi(
  input: ProbeInput,
  context: ProbeContext,
  read: boolean,
): Promise<FetchedJson | undefined> {
  if (!input.connectionString)
    throw new ConnectionTestError('invalid_config', 'connection_string is required for api profiles (the URL to GET)');
  let url: URL;
  try {
    url = new URL(input.connectionString.trim());
  } catch {
    throw new ConnectionTestError('invalid_config', 'connection_string is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConnectionTestError('invalid_config', 'connection_string must be an http:// or https:// URL');
  let username = input.username;
  let password = input.password;
  if (username === undefined && password === undefined && (url.username || url.password)) {
    try {
      username = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
    } catch {
      throw new ConnectionTestError(
        'invalid_config',
        'connection_string has user-info that is not valid percent-encoding',
      );
    }
  }
  url.username = '';
  url.password = '';
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const where = `${url.protocol}//${url.host}`;
  // Checked here (an IP literal never reaches a lookup), and again in the lookup at connect time.
  await context.policy.resolve(host, port);

  const headers: Record<string, string> = { accept: 'application/json' };
  if (username !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
  else if (password !== undefined) headers.authorization = `Bearer ${password}`;

  const agent = new Agent({
    connect: { timeout: context.connectTimeoutMs, lookup: context.policy.lookupFor(port) },
    headersTimeout: context.deadlineMs,
    bodyTimeout: context.deadlineMs,
    connections: 1,
    pipelining: 0,
  });
  try {
    const response = await request(url, { method: 'GET', headers, dispatcher: agent, signal: context.signal });
    const status = response.statusCode;
    if (status < 200 || status >= 300) {
      await response.body.dump().catch(() => undefined);
      throw statusFailure(status, where);
    }
    if (!read) {
      await response.body.dump().catch(() => undefined);
      return undefined;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_BODY_BYTES) {
        response.body.destroy();
        throw new ConnectionTestError(
          'invalid_config',
          `${where}: the response is larger than ${MAX_BODY_BYTES} bytes; discovery and preview need a smaller ` +
            'JSON array',
        );
      }
      chunks.push(buffer);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new ConnectionTestError(
        'invalid_config',
        `${where}: the response is not JSON; it needs a JSON array of objects`,
      );
    }
    return { url, where, body };
  } catch (error) {
    throw findConnectionTestError(error) ?? apiFailure(error, where);
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

function statusFailure(status: number, where: string): ConnectionTestError {
  if (status === 401 || status === 403)
    return new ConnectionTestError('auth_failed', `${where}: the server answered ${status}`);
  if (status === 404 || status === 410)
    return new ConnectionTestError('not_found', `${where}: the server answered ${status}`);
  if (status === 408 || status === 504)
    return new ConnectionTestError('timeout', `${where}: the server answered ${status}`);
  if (status >= 300 && status < 400)
    return new ConnectionTestError(
      'invalid_config',
      `${where}: the server answered ${status} (a redirect, not followed: use the final URL)`,
    );
  if (status >= 400 && status < 500)
    return new ConnectionTestError('invalid_config', `${where}: the server answered ${status}`);
  return new ConnectionTestError('unreachable', `${where}: the server answered ${status}`);
}

function apiFailure(error: unknown, where: string): ConnectionTestError {
  if ((error as { name?: unknown }).name === 'AbortError')
    return new ConnectionTestError('timeout', `${where}: no answer before the deadline`);
  const code = errorCodeOf(error);
  return (
    networkFailure(code, where) ??
    new ConnectionTestError('unreachable', `${where}: the request failed (${code ?? errorLabel(error)})`)
  );
}

/** The JSON array a body holds: itself, the member `member` names, or the first array member of an object. */
export function jsonArrayOf(body: unknown, where: string, member?: string): unknown[] {
  let found: unknown = body;
  if (!Array.isArray(found) && typeof found === 'object' && found !== null) {
    const members = found as Record<string, unknown>;
    found =
      member === undefined
        ? Object.values(members).find(Array.isArray)
        : Object.hasOwn(members, member)
          ? members[member]
          : undefined;
  }
  if (!Array.isArray(found)) {
    const what = member === undefined ? 'no JSON array' : `no JSON array under '${member}'`;
    throw new ConnectionTestError(
      'invalid_config',
      `${where}: the response holds ${what}; it needs a JSON array of objects`,
    );
  }
  return found;
}

/** The table an API's response is: named after the last path segment of its URL. */
export const apiTableName = (url: URL): string => url.pathname.split('/').filter(Boolean).at(-1) ?? 'response';

function discoverJson(body: unknown, url: URL, where: string, maxTables: number): Discovery {
  const items = jsonArrayOf(body, where);
  const rows = items
    .slice(0, SAMPLE_ROWS)
    .filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null && !Array.isArray(row));
  const columns = new Map<string, ColumnInference>();
  for (const row of rows)
    for (const name of Object.keys(row)) if (!columns.has(name)) columns.set(name, new ColumnInference());
  for (const row of rows) {
    for (const [name, inference] of columns) {
      if (name in row) inference.add(row[name]);
      else inference.markMissing();
    }
  }
  const name = apiTableName(url);
  const table = {
    name,
    kind: 'table' as const,
    row_estimate: items.length,
    columns: [...columns].map(([column, inference]) => inference.result(column)),
  };
  return { schemaInfo: { tables: maxTables >= 1 ? [table] : [] }, truncated: false };
}
