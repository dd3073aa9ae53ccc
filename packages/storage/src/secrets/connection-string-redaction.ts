// What of a connection string a response may show: everything but the
// credentials inside it. URL user-info passwords become ***, and so do the values
// of Password= / Pwd= (any case) in key=value strings, braced, quoted or bare.
// When in doubt it hides more, never less.
import type { SecretField } from './secret-box.js';

const REDACTED = '***';

// scheme://user:password@host...: the password runs to the last '@', so one
// containing '/', '?' or '@' is hidden whole.
const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):(.*)@/is;

// A key named password, pwd or passwd after the start or a separator, then its value:
// {braced, }} escaped}, "double quoted", 'single quoted', or bare to the next separator.
const KEY = String.raw`(^|[;&?\s])((?:password|pwd|passwd)\s*=\s*)`;
const BRACED = String.raw`\{(?:[^}]|\}\})*(?:\}|$)`;
const DOUBLE_QUOTED = String.raw`"(?:[^"]|"")*(?:"|$)`;
const SINGLE_QUOTED = String.raw`'(?:[^'\\]|''|\\.)*(?:'|$)`;
const IN_SEMICOLON_LIST = new RegExp(`${KEY}(${BRACED}|${DOUBLE_QUOTED}|${SINGLE_QUOTED}|[^;]*)`, 'gi');
const IN_SPACE_OR_QUERY_LIST = new RegExp(`${KEY}(${BRACED}|${DOUBLE_QUOTED}|${SINGLE_QUOTED}|[^\\s&;]*)`, 'gi');

export function redactConnectionString(value: string): string {
  const withoutUserInfo = value.replace(URL_USERINFO, (_match, before: string) => `${before}:${REDACTED}@`);
  // ADO/ODBC strings separate with ';' (a bare value may hold spaces); libpq
  // key=value strings and URL query strings with spaces or '&'.
  const pattern = value.includes(';') ? IN_SEMICOLON_LIST : IN_SPACE_OR_QUERY_LIST;
  return withoutUserInfo.replace(pattern, (_match, separator: string, key: string) => `${separator}${key}${REDACTED}`);
}

/**
 * What a response shows of a secret, sealed beside it as its view (secret-box.ts):
 * the redacted connection string, nothing of a password.
 */
export const secretView = (field: SecretField, plaintext: string): string =>
  field === 'connection_string' ? redactConnectionString(plaintext) : '';
