// Where a connector profile keeps secrets at rest, and sealing what is still in
// plaintext there: the rows the Python Connector wrote (a top-level password,
// renamed to credentials.password on read) and the guide's hand-written rows
// (connection_string and credentials.password as typed). The Connector seals on
// every write; adoption and `pnpm migrate seal-secrets` seal the rows before it.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isJsonObject, type JsonObject } from '../repositories/json-merge-patch.js';
import { secretView } from './connection-string-redaction.js';
import { isSealed, type SecretBox, type SecretField } from './secret-box.js';

/** The secret members of a stored profile, by path, and the field each is sealed as. */
export const secretPlaces: readonly { readonly path: readonly string[]; readonly field: SecretField }[] = [
  { path: ['connection_string'], field: 'connection_string' },
  { path: ['credentials', 'password'], field: 'credentials.password' },
  // A Python-era password that disagreed with credentials.password (see legacy/python-profiles.ts).
  { path: ['legacy', 'password'], field: 'legacy.password' },
];

const isPlaintext = (value: unknown): boolean =>
  value !== undefined && value !== null && !(typeof value === 'string' && isSealed(value));

function valueAt(document: unknown, path: readonly string[]): unknown {
  let at = document;
  for (const segment of path) at = isJsonObject(at) ? at[segment] : undefined;
  return at;
}

/** The fields of a profile document that hold a secret in plaintext. */
export function plaintextSecretsOf(document: unknown): string[] {
  const fields: string[] = secretPlaces
    .filter(({ path }) => isPlaintext(valueAt(document, path)))
    .map(({ field }) => field);
  return isPlaintext(valueAt(document, ['password'])) ? ['password', ...fields] : fields;
}

/** The document with every plaintext secret sealed for this profile, with its view; `sealed` counts them. */
export function sealPlaintextSecrets(
  document: JsonObject,
  profileId: string,
  box: SecretBox,
): { document: JsonObject; sealed: number } {
  let sealed = 0;
  let result = document;
  for (const { path, field } of secretPlaces) {
    const value = valueAt(result, path);
    if (!isPlaintext(value)) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    result = withValueAt(result, path, box.seal(text, profileId, field, secretView(field, text)));
    sealed += 1;
  }
  return { document: result, sealed };
}

/** A copy with the value at `path` replaced (the objects on the way copied, nothing else). */
function withValueAt(document: JsonObject, path: readonly string[], value: string): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return document;
  const member = document[head];
  return {
    ...document,
    [head]: rest.length === 0 ? value : withValueAt(isJsonObject(member) ? member : {}, rest, value),
  };
}

/**
 * SQL: the profile_data of the row holds a secret in plaintext somewhere (a
 * top-level password is always plaintext: the Connector never stores one there).
 */
export function holdsPlaintextSecret(column: string): RawBuilder<SqlBool> {
  const data = sql.ref(column);
  const plaintextAt = (path: readonly string[]) =>
    sql`(${data} #>> ${sql.lit(`{${path.join(',')}}`)}) not like 'enc:%'`;
  const topLevelPassword = sql`coalesce(jsonb_typeof(${data} -> 'password'), 'null') <> 'null'`;
  return sql<SqlBool>`(${topLevelPassword} or ${sql.join(
    secretPlaces.map(({ path }) => plaintextAt(path)),
    sql` or `,
  )})`;
}
