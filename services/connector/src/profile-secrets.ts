// Between the wire and the table: secrets are sealed on the way in, and on the
// way out opened only to be redacted (connection_string) or reported as set
// (credentials.password). Nothing here logs or returns a secret.
//
// What a read needs of a secret is public (the redacted connection string, that
// the password is set), so it is sealed beside the ciphertext as the value's
// view (secret-box.ts, v2) and a read opens nothing; only a use (a test,
// discovery, a preview) opens the ciphertext, and fails there for one moved to
// another profile or field. Values sealed before views existed (v1) are
// opened, an AES-GCM opening each, so what opening them gave is
// remembered per sealed value: never a plaintext. A sealed value names its
// profile and field (they are bound into it) and changes whenever the secret is
// written, so a remembered answer cannot go stale; an unreadable one is not
// remembered (its warning is logged on every read, and a key configured later is
// tried).
import {
  sealPlaintextSecrets,
  secretView,
  type ConnectorProfile,
  type JsonObject,
  type StoredDocument,
} from '@analytics-engine/storage';
import type { FastifyBaseLogger } from 'fastify';
import type { ProfileFields, ProfileResponse } from './profile-schemas.js';
import { nextRuns } from './schedule.js';
import type { SecretBox, SecretField } from './secret-box.js';

type SecretState = ProfileResponse['secrets']['password'];

/**
 * Remembered openings of values without a view per generation, per
 * ProfileSecrets: two generations, so up to 100,000 (50,000 profiles with both
 * secrets), an estimated 40 MiB at most, and nothing while every secret has a
 * view. A deployment with fewer profiles than this opens each once per process.
 */
const OPENED_PER_GENERATION = 50_000;

/** The public outcome of opening a secret that opened: never the plaintext. */
interface Opened {
  readonly state: 'set';
  /** connection_string only: the redacted text a response shows. */
  readonly redacted?: string;
}

const SET: Opened = { state: 'set' };

interface Remembered {
  readonly profileId: string;
  readonly field: SecretField;
  readonly opened: Opened;
}

/**
 * Keyed by the sealed value (a random IV makes each one unique); the profile and
 * field it was opened for must match too, as the seal is bound to them. Two
 * generations instead of a strict LRU: a hit costs one or two Map lookups, and
 * what was not read during a whole generation is dropped with the older one.
 */
function openedCache(perGeneration: number) {
  let current = new Map<string, Remembered>();
  let previous = new Map<string, Remembered>();
  const remember = (sealed: string, entry: Remembered) => {
    if (current.size >= perGeneration) {
      previous = current;
      current = new Map();
    }
    current.set(sealed, entry);
  };
  return {
    get(sealed: string, profileId: string, field: SecretField): Opened | undefined {
      let entry = current.get(sealed);
      if (entry === undefined) {
        entry = previous.get(sealed);
        if (entry !== undefined) remember(sealed, entry);
      }
      return entry !== undefined && entry.profileId === profileId && entry.field === field ? entry.opened : undefined;
    },
    set(sealed: string, profileId: string, field: SecretField, opened: Opened): void {
      remember(sealed, { profileId, field, opened });
    },
  };
}

export interface ProfileSecrets {
  /** A full document (create, replace) with its secrets sealed. */
  sealDocument(id: string, fields: ProfileFields): ConnectorProfile;
  /** A merge patch with its secret values sealed; null (clear) and absent (keep) pass through. */
  sealPatch(id: string, patch: JsonObject): JsonObject;
  /**
   * The last step of every write: any secret still in plaintext (left by a row
   * the Python Connector wrote) sealed, so a row's next write seals it.
   */
  sealStored(id: string, document: JsonObject): JsonObject;
  /** The response for a stored profile: no secret, connection_string redacted. */
  toResponse(stored: StoredDocument<ConnectorProfile>, log: FastifyBaseLogger): ProfileResponse;
}

/**
 * The members beyond the guide's, as stored; legacy without its sealed password,
 * which secrets.legacy_password reports instead.
 */
function addPlatformMembers(
  response: ProfileResponse,
  stored: StoredDocument<ConnectorProfile>,
  legacyPassword: (sealed: string) => SecretState,
): void {
  const { extra_params, schedule, selected_tables, legacy, needs_completion } = stored.data;
  if (extra_params !== undefined) response.extra_params = extra_params;
  if (schedule !== undefined)
    response.schedule = schedule === null ? null : { ...schedule, next_runs: nextRuns(schedule, new Date()) };
  if (selected_tables !== undefined) response.selected_tables = selected_tables;
  if (legacy !== undefined) {
    const { password, ...kept } = legacy;
    if (Object.keys(kept).length > 0) response.legacy = kept;
    if (password !== undefined)
      response.secrets.legacy_password = typeof password === 'string' ? legacyPassword(password) : 'set';
  }
  if (needs_completion !== undefined) response.needs_completion = needs_completion;
}

export function createProfileSecrets(box: SecretBox): ProfileSecrets {
  const remembered = openedCache(OPENED_PER_GENERATION);

  /** What a response says of a stored secret: its view, else what opening it gives (a connection string redacted). */
  function open(
    stored: string,
    id: string,
    field: SecretField,
    log: FastifyBaseLogger,
  ): { state: SecretState; redacted?: string } {
    // A v2 value answers from its view; only a value without one (v1, plaintext) is opened, once per process.
    const viewed = box.view(stored);
    if (viewed?.ok) return shown(field, viewed.view);
    const known = viewed === undefined ? remembered.get(stored, id, field) : undefined;
    if (known) return known;
    const opened = viewed ?? box.open(stored, id, field);
    if (opened.ok) {
      const result = shown(field, secretView(field, opened.plaintext));
      remembered.set(stored, id, field, result);
      return result;
    }
    log.warn(
      { profileId: id, field, keyId: opened.keyId, reason: opened.reason },
      `the stored ${field} of profile '${id}' cannot be opened (${opened.reason}); it is reported as unreadable ` +
        'until written again',
    );
    return { state: 'unreadable' };
  }

  /** A secret that is set, as a response shows it: a connection string by its view, a password as set. */
  const shown = (field: SecretField, view: string): Opened =>
    field === 'connection_string' ? { state: 'set', redacted: view } : SET;

  /** Seals with its view: what a response shows of it (for a password, nothing beyond its being set). */
  const seal = (plaintext: string, id: string, field: SecretField): string =>
    box.seal(plaintext, id, field, secretView(field, plaintext));

  return {
    sealDocument(id, fields) {
      const { connection_string, credentials, ...rest } = fields;
      return {
        ...rest,
        ...(connection_string !== undefined
          ? { connection_string: seal(connection_string, id, 'connection_string') }
          : {}),
        ...(credentials !== undefined
          ? {
              credentials: {
                ...credentials,
                ...(credentials.password !== undefined
                  ? { password: seal(credentials.password, id, 'credentials.password') }
                  : {}),
              },
            }
          : {}),
      };
    },

    sealPatch(id, patch) {
      const { connection_string, credentials, ...rest } = patch;
      const sealed: JsonObject = { ...rest };
      if (typeof connection_string === 'string')
        sealed.connection_string = seal(connection_string, id, 'connection_string');
      else if (connection_string === null) sealed.connection_string = null;
      if (credentials === null) sealed.credentials = null;
      else if (typeof credentials === 'object') {
        const { password, ...others } = credentials as JsonObject;
        sealed.credentials = {
          ...others,
          ...(typeof password === 'string' ? { password: seal(password, id, 'credentials.password') } : {}),
          ...(password === null ? { password: null } : {}),
        };
      }
      return sealed;
    },

    sealStored(id, document) {
      const { document: sealed } = sealPlaintextSecrets(document, id, { ...box, seal });
      return sealed;
    },

    toResponse(stored, log) {
      const id = stored.key;
      const { name, type, connection_string, credentials, schema_info, test_status, last_tested } = stored.data;
      const connection =
        connection_string === undefined
          ? { state: 'not_set' as const }
          : open(connection_string, id, 'connection_string', log);
      const password =
        credentials?.password === undefined
          ? { state: 'not_set' as const }
          : open(credentials.password, id, 'credentials.password', log);
      // Built member by member: no throw-away objects per profile (lists build fifty). The
      // response schema's serializer writes the members in the schema's order.
      const response: ProfileResponse = {
        id,
        name,
        type,
        secrets: { connection_string: connection.state, password: password.state },
        created_at: stored.createdAt,
        updated_at: stored.updatedAt ?? null,
      };
      if (connection.redacted !== undefined) response.connection_string = connection.redacted;
      if (credentials !== undefined) {
        const passwordSet = password.state !== 'not_set';
        response.credentials =
          credentials.username !== undefined
            ? { username: credentials.username, password_set: passwordSet }
            : { password_set: passwordSet };
      }
      if (schema_info !== undefined) response.schema_info = schema_info;
      if (test_status !== undefined) response.test_status = test_status;
      if (last_tested !== undefined) response.last_tested = last_tested;
      addPlatformMembers(response, stored, (sealed) => open(sealed, id, 'legacy.password', log).state);
      return response;
    },
  };
}
