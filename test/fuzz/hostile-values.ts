// The hostile material the fuzzer throws at the services: strings at and over
// the limits and at the edges of Unicode, numbers JSON can write but JavaScript
// cannot hold, deep nesting, malformed JSON and bytes, odd URL fragments,
// cursors and headers. Only what a real HTTP client could send: header values
// are bytes a Node.js server accepts, URLs are printable ASCII.
import fc from 'fast-check';
import type { Json } from './schema-values.js';

/** JSON text written as is: numbers and nesting JSON.stringify cannot produce. */
class RawJson {
  constructor(readonly text: string) {}
}

export type BodyValue = Json | RawJson | BodyValue[] | { [key: string]: BodyValue };

/** Serializes like JSON.stringify, RawJson written verbatim. */
export function jsonText(value: BodyValue | undefined): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => jsonText(item)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const UNICODE_EDGES = [
  '\uD800', // lone high surrogate
  '\uDC00', // lone low surrogate
  'a\uDBFFb',
  '\uDC00\uD800', // halves in the wrong order
  '\u0000',
  'id\u0000',
  '\u202Eevil\u202C', // right-to-left override
  '\u200F\u200E\u061C', // RTL / LTR marks
  '\uFEFF', // BOM / zero-width no-break space
  '\u200B\u200D',
  '😀👩‍👩‍👧‍👦',
  'e\u0301\u0301\u0301\u0301',
  'Z̴̡̧̛̛̗̲̮̙̈́̈́̇̿a̸̡̛͚̝̫l̷̢g̶o̵',
  '\uFFFF',
  '\uFFFE',
  '\uFFFD',
  '\u2028\u2029',
  '\u0085',
  '\u001B[31m',
  '\r\n\t',
  '\\',
  '"',
  'İıſK',
];

const INJECTION = [
  "'; drop table client_configs; --",
  '" or 1=1 --',
  '%s%n%x',
  '${process.exit()}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  '*',
  '%',
  '_',
  '?',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
];

/**
 * ISO-8601 text at and past the edges of what PostgreSQL's timestamptz holds:
 * year 0, offsets beyond its +-15:59, leap seconds, 24:00, dates that do not
 * exist, more digits than microseconds, lower case, a space for the T.
 */
export const TIMESTAMP_EDGES = [
  '0000-01-01T00:00:00Z',
  '0000-02-29T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '0001-01-01T00:00:00+14:00',
  '9999-12-31T23:59:59.999999Z',
  '9999-12-31T23:59:59.999999-23:59',
  '1970-01-01T00:00:00+15:59',
  '1970-01-01T00:00:00+16:00',
  '1970-01-01T00:00:00-23:59',
  '2025-12-21T06:20:48.123456789123Z',
  '2025-12-31T23:59:60Z',
  '2025-12-21T24:00:00Z',
  '2025-02-29T00:00:00Z',
  '2025-12-21t06:20:48z',
  '2025-12-21 06:20:48Z',
  '2025-12-21T06:20:48',
  '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '294277-01-01T00:00:00Z',
  'infinity',
  '-infinity',
  'epoch',
  'now',
  'today',
  'allballs',
];

/** Calendar dates at the same edges, for the date fields of documents. */
export const DATE_EDGES = [
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '2024-02-29',
  '2025-02-29',
  '2025-13-01',
  '2025-00-10',
  '2025-1-1',
  '20251221',
  '+275760-09-13',
  'infinity',
  'epoch',
];

const NUMBER_LIKE = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '-1e309',
  '0x10',
  ' 1',
  '1 ',
  '1.5',
  '',
  ' ',
  '9007199254740993',
  '1e-400',
  '+1',
  '1_000',
  '٣',
  '１',
];

/** Lengths around the limits: VARCHAR(255) ids, 2,048-character secrets, 16,384 stored. */
const LENGTHS = [254, 255, 256, 300, 2047, 2048, 2049, 16_385, 70_000];
/** In a URL only what an HTTP server would take in (Node.js refuses headers over 16 KiB). */
const URL_LENGTHS = [254, 255, 256, 300, 1000];

/**
 * Any UTF-16 text: controls, ASCII, the rest of the BMP, astral code points
 * and, in one string in six, lone surrogate halves. Not fc.string({ unit:
 * 'binary' }): building that one maps every code point, a second of CPU a run.
 */
const codePoint = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x00, max: 0x1f }) },
  { weight: 2, arbitrary: fc.integer({ min: 0x7f, max: 0xd7ff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0x10ffff }) },
);
const surrogateHalf = fc.integer({ min: 0xd800, max: 0xdfff });
const cleanText = fc.array(codePoint, { maxLength: 40 }).map((points) => String.fromCodePoint(...points));
const textWithHalves = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: codePoint.map((point) => String.fromCodePoint(point)) },
      { weight: 1, arbitrary: surrogateHalf.map((unit) => String.fromCharCode(unit)) },
    ),
    { maxLength: 40 },
  )
  .map((pieces) => pieces.join(''));
export const binaryText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: cleanText },
  { weight: 1, arbitrary: textWithHalves },
);

function hostileStrings(lengths: readonly number[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...UNICODE_EDGES) },
    { weight: 2, arbitrary: fc.constantFrom(...INJECTION) },
    { weight: 2, arbitrary: fc.constantFrom(...NUMBER_LIKE) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...lengths), fc.constantFrom('a', 'é', '😀', '\uD800', ' '))
        .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length))),
    },
    { weight: 2, arbitrary: binaryText },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...UNICODE_EDGES), fc.string({ maxLength: 8 }))
        .map(([edge, text]) => `${text}${edge}${text}`),
    },
    { weight: 1, arbitrary: fc.constantFrom(...TIMESTAMP_EDGES, ...DATE_EDGES) },
  );
}

export const hostileString: fc.Arbitrary<string> = hostileStrings(LENGTHS);
/** hostileString at lengths a URL can carry. */
const urlHostileString: fc.Arbitrary<string> = hostileStrings(URL_LENGTHS);

/** Numbers as JSON text: overflow, -0, more digits than a double holds, exponents. */
const RAW_NUMBERS = [
  '1e309',
  '-1e309',
  '-0',
  '0.0000000000000000000000000001',
  '123456789012345678901234567890',
  '-9007199254740993',
  '1E400',
  '4.9e-324',
  '1.7976931348623157e308',
  '0e0',
  '-1',
  '1.5',
];

/** Nesting deeper than any document should be, as text (JSON.stringify would overflow the stack first). */
function deeplyNested(depth: number, kind: 'array' | 'object'): RawJson {
  return kind === 'array'
    ? new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)
    : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** Prebuilt: a 100,000-deep text is not something to build for every request. */
const NESTED = [
  ...[10, 100, 1000, 10_000].flatMap((depth) => [deeplyNested(depth, 'array'), deeplyNested(depth, 'object')]),
  deeplyNested(100_000, 'array'),
];
/**
 * Long arrays (of numbers, where strings are expected somewhere): 10,000 items already make every per-item cost show.
 */
const LONG_ARRAYS = [1000, 10_000].map(
  (count) => new RawJson(`[${Array.from({ length: count }, (_, i) => i).join(',')}]`),
);

export const hostileValue: fc.Arbitrary<BodyValue> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((text) => new RawJson(text)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<BodyValue>(null, true, false, 0, -1, 1.5, [], {}, [null], [[]], { '': '' }, [
      'a',
      1,
      null,
    ]),
  },
  { weight: 2, arbitrary: fc.constantFrom(...NESTED) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(...LONG_ARRAYS) },
);

/** Member names a body should not have. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '',
    ' ',
    'id ',
    'ID',
    'extra',
    '\u0000',
    '\uD800',
    'a'.repeat(300),
    '$where',
    'toString',
  ),
  hostileString,
);

/** Request bodies that are not JSON, or not the JSON they seem. */
export const MALFORMED_BODIES = [
  '',
  ' ',
  '{',
  '}',
  '{"a":}',
  '{"a":1,}',
  '[1,]',
  '{a:1}',
  "{'a':1}",
  'NaN',
  '{"a":NaN}',
  '{"a":undefined}',
  '\uFEFF{}',
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  '{"a":"\\x00"}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":"unterminated',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"a":1,"a":2}',
  'null',
  'true',
  '0',
  '"text"',
  '[]',
  '[{}]',
  '\u0000',
  '{"a":01}',
  '{"a":1e}',
  '{"a":.5}',
  '{"a":"\t"}',
];

/** Bytes that are not UTF-8, inside JSON strings and around them. */
export const MALFORMED_BYTES: readonly Buffer[] = [
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"a":"\xff\xfe"}
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), // a UTF-8-encoded lone surrogate
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0x80, 0x22, 0x7d]), // overlong NUL
  Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), // UTF-16LE with BOM
  Buffer.from([0x1f, 0x8b, 0x08, 0x00]), // gzip magic
  Buffer.alloc(64, 0),
];

/**
 * Percent-encodes every code point like encodeURIComponent, and a lone
 * surrogate as the three bytes a careless encoder writes (%ED%A0%80), which is
 * what a client can put on the wire for one.
 */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      encoded += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      encoded += encodeURIComponent(char);
    }
  }
  return encoded;
}

/** URL text that is already encoded, or wrongly encoded, as a path segment or query value. */
const RAW_URL_PARTS = [
  '%00',
  'a%00b',
  '%2F',
  'a%2Fb',
  '..',
  '%2E%2E',
  '..%2F..%2Fetc%2Fpasswd',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%FF',
  '%C0%80',
  '%EF%BF%BF',
  '%u0041',
  '+',
  '%20',
  ';a=b',
  '%3B',
  '%3F',
  '%23',
  '~',
  "!$&'()*,=:@",
  'a'.repeat(3000),
  '%41'.repeat(700),
];

export const encodedHostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: urlHostileString.map(percentEncode) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_URL_PARTS) },
);

/** A cursor as the repositories encode one: base64url of JSON [created_at, key]. */
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Cursors as a page could have handed out: a real instant (or none) and an id. */
export const plausibleCursor: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(
      fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
    ),
    fc.constantFrom('fuzz-client', 'fuzz-profile', 'prop-1', ''),
  )
  .map(([date, key]) => cursorOf([date ? date.toISOString().replace('Z', '123Z') : null, key]));

/** Forged cursors: the right wrapping with a wrong inside. */
export const forgedCursor: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    cursorOf(['0000-01-01T00:00:00.000000Z', 'a']),
    cursorOf(['9999-99-99T99:99:99.999999Z', 'a']),
    cursorOf(['2025-02-30T00:00:00.000000Z', 'a']),
    cursorOf(['2025-12-21T06:20:48.123456Z', '\u0000']),
    cursorOf(['2025-12-21T06:20:48.123456Z', '\uD800']),
    cursorOf([null, 'x\u0000']),
    cursorOf([null, 'a'.repeat(10_000)]),
    cursorOf(['2025-12-21T06:20:48.123456Z']),
    cursorOf([1, 2]),
    cursorOf({ createdAt: null, key: 'a' }),
    cursorOf('x'),
    cursorOf(null),
    'AAAA',
    '====',
    '!!!',
  ),
  fc
    .tuple(fc.option(fc.constantFrom('2025-12-21T06:20:48.123456Z', '1970-01-01T00:00:00.000000Z')), urlHostileString)
    .map(([at, key]) => cursorOf([at, key])),
);

/** Values a header may carry on the wire: latin1 bytes without control characters (tab aside). */
export function headerSafe(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '')
    .trim();
}

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json;;;',
  'application/jsonx',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/vnd.api+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  '*/*',
  '',
  ';',
  'application/json, text/plain',
];

/** If-Match values; CURRENT and STALE stand for the item's ETag now and a well-formed stale one. */
export const IF_MATCH = [
  'CURRENT',
  'STALE',
  '*',
  '',
  '""',
  'W/"0123456789abcdef0123456789abcdef"',
  '"0123456789abcdef0123456789abcdef", "x"',
  '"not-a-version"',
  'garbage',
  '"' + 'f'.repeat(32),
  ' * ',
  '"\u00ff\u00fe"',
  'x'.repeat(8000),
];

export const IDEMPOTENCY_KEYS = [
  '',
  ' ',
  'k',
  'a'.repeat(255),
  'a'.repeat(256),
  'a'.repeat(10_000),
  '\u00ff\u00fe',
  '../../x',
  '%00',
  'key with spaces',
  '😀',
  '\tkey',
];

/** Authorization values: none names a key, and without API_KEYS none may matter. */
export const AUTHORIZATIONS = [
  '',
  'Bearer',
  'Bearer ',
  'Bearer x',
  'bearer  x  ',
  'Bearer a b',
  `Bearer ${'a'.repeat(10_000)}`,
  'Basic dXNlcjpwYXNz',
  'Basic !!!',
  'Digest username="x"',
  'Bearer \u00ff\u00fe',
  'Bearer %00',
  'Bearer ../../etc/passwd',
  'Bearer __proto__',
  'Negotiate',
];

export const REQUEST_IDS = ['', 'x'.repeat(10_000), 'a b c', '\u00ff', '<script>', '%00', '../../', 'req-1'];

/**
 * The one secret the fuzz sends: as credentials.password and as the password
 * inside connection strings. No answer and no log line may ever contain it.
 */
export const SECRET_CANARY = 'fzCanary7Qx';

/**
 * Connection strings for the connection-test routes: only unreachable or refused
 * targets (loopback, private, link-local, this service's port, malformed), so the
 * fuzz never waits on the network or a real database. Many carry the canary
 * where a password goes, in every syntax the redaction knows and some it may not.
 */
export const CONNECTION_STRINGS = [
  `postgres://u:${SECRET_CANARY}@127.0.0.1:5432/db`,
  `postgresql://u:${SECRET_CANARY}@[::1]:5432/x?sslmode=require`,
  `postgres://u:pa@ss:${SECRET_CANARY}@10.1.2.3/x`,
  `postgres://u:${SECRET_CANARY}@%zz/x`,
  `postgres://127.0.0.1/x?user=u&password=${SECRET_CANARY}`,
  `mysql://root:${SECRET_CANARY}@10.0.0.1/x?ssl=true`,
  `Server=127.0.0.1,1433;Database=x;User Id=sa;Password=${SECRET_CANARY};`,
  `Server=10.0.0.1;PWD={${SECRET_CANARY};}}x};Database=y`,
  `Server=10.0.0.1;Password="${SECRET_CANARY}"`,
  `Server=10.0.0.1; password = '${SECRET_CANARY}'`,
  `host=127.0.0.1 port=5432 user=u password=${SECRET_CANARY}`,
  `host='10.0.0.1' passwd='${SECRET_CANARY}' sslmode=verify-full`,
  `http://user:${SECRET_CANARY}@192.168.1.1/x`,
  `https://x:${SECRET_CANARY}@[fe80::1]:99999/x`,
  'postgres://u:p@127.0.0.1:5432/db',
  'postgresql://[::1]:5432/x?sslmode=require',
  'postgres://127.0.0.1:99999/x',
  'postgres://127.0.0.1:0/x',
  'postgres://%zz@127.0.0.1/x',
  'postgres://127.0.0.1/x?sslmode=bogus',
  'postgres:///nohost',
  'mysql://root@10.0.0.1/x?ssl=true',
  'mariadb://u:p@192.168.1.1:3306/x',
  'Server=localhost;Database=test;',
  'Server=169.254.169.254,1433;Database=x;',
  'Server=tcp:127.0.0.1,1433;Encrypt=maybe;TrustServerCertificate=perhaps',
  'Server=a\\inst;',
  'Server={unclosed',
  'Server="x',
  'Server=;',
  ';;;',
  '=',
  'host=localhost port=8023 user=x',
  "host='127.0.0.1' sslmode=verify-full password='p\\'q'",
  'host=/tmp user=postgres',
  'host=a,b',
  'http://127.0.0.1:8023/connector/profiles',
  'http://127.1/',
  'http://2130706433/',
  'http://0.0.0.0/',
  'http://[::ffff:127.0.0.1]/x',
  'https://[fe80::1]/x',
  'http://user:pass@192.168.1.1/x',
  'http://169.254.169.254/latest/meta-data/',
  'http://100.64.0.1/x',
  'http://224.0.0.1/x',
  'http://[::]/',
  'http://localhost:8022/demo/clients',
  'ftp://127.0.0.1/x',
  'file:///etc/passwd',
  'javascript:alert(1)',
  '../../etc/passwd',
  '/etc/passwd',
  'C:\\secret.xlsx',
  'data.xlsx',
  'data.csv',
  '',
];
