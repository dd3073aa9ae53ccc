// Between the wire and the table: secrets are sealed on the way in, and on the
// way out opened only to be redacted (connection_string) or reported as set
// (credentials.password). Nothing here logs or returns a secret.
import type { ConnectorProfile, JsonObject, StoredDocument } from '@analytics-engine/storage';
import type { FastifyBaseLogger } from 'fastify';
import { redactConnectionString } from './connection-string-redaction.js';
import type { PatchProfileBody, ProfileFields, ProfileResponse } from './profile-schemas.js';
import type { SecretBox, SecretField } from './secret-box.js';

type SecretState = ProfileResponse['secrets']['password'];

export interface ProfileSecrets {
  /** A full document (create, replace) with its secrets sealed. */
  sealDocument(id: string, fields: ProfileFields): ConnectorProfile;
  /** A merge patch with its secret values sealed; null (clear) and absent (keep) pass through. */
  sealPatch(id: string, patch: Omit<PatchProfileBody, 'id'>): JsonObject;
  /** The response for a stored profile: no secret, connection_string redacted. */
  toResponse(stored: StoredDocument<ConnectorProfile>, log: FastifyBaseLogger): ProfileResponse;
}

export function createProfileSecrets(box: SecretBox): ProfileSecrets {
  function open(stored: string, id: string, field: SecretField, log: FastifyBaseLogger): { state: SecretState; plaintext?: string } {
    const opened = box.open(stored, id, field);
    if (opened.ok) return { state: 'set', plaintext: opened.plaintext };
    log.warn(
      { profileId: id, field, keyId: opened.keyId, reason: opened.reason },
      `the stored ${field} of profile '${id}' cannot be opened (${opened.reason}); it is reported as unreadable until written again`,
    );
    return { state: 'unreadable' };
  }

  return {
    sealDocument(id, fields) {
      const { connection_string, credentials, ...rest } = fields;
      return {
        ...rest,
        ...(connection_string !== undefined ? { connection_string: box.seal(connection_string, id, 'connection_string') } : {}),
        ...(credentials !== undefined
          ? {
              credentials: {
                ...credentials,
                ...(credentials.password !== undefined ? { password: box.seal(credentials.password, id, 'credentials.password') } : {}),
              },
            }
          : {}),
      };
    },

    sealPatch(id, patch) {
      const { connection_string, credentials, ...rest } = patch;
      const sealed: JsonObject = { ...rest };
      if (typeof connection_string === 'string') sealed.connection_string = box.seal(connection_string, id, 'connection_string');
      else if (connection_string === null) sealed.connection_string = null;
      if (credentials === null) sealed.credentials = null;
      else if (credentials !== undefined) {
        const { password, ...others } = credentials;
        sealed.credentials = {
          ...others,
          ...(typeof password === 'string' ? { password: box.seal(password, id, 'credentials.password') } : {}),
          ...(password === null ? { password: null } : {}),
        };
      }
      return sealed;
    },

    toResponse(stored, log) {
      const id = stored.key;
      const { name, type, connection_string, credentials, schema_info, test_status, last_tested } = stored.data;
      const connection = connection_string === undefined ? { state: 'not_set' as const } : open(connection_string, id, 'connection_string', log);
      const password =
        credentials?.password === undefined ? { state: 'not_set' as const } : open(credentials.password, id, 'credentials.password', log);
      return {
        id,
        name,
        type,
        ...(connection.plaintext !== undefined ? { connection_string: redactConnectionString(connection.plaintext) } : {}),
        ...(credentials !== undefined
          ? {
              credentials: {
                ...(credentials.username !== undefined ? { username: credentials.username } : {}),
                password_set: password.state !== 'not_set',
              },
            }
          : {}),
        ...(schema_info !== undefined ? { schema_info } : {}),
        ...(test_status !== undefined ? { test_status } : {}),
        ...(last_tested !== undefined ? { last_tested } : {}),
        secrets: { connection_string: connection.state, password: password.state },
        created_at: stored.createdAt,
        updated_at: stored.updatedAt ?? null,
      };
    },
  };
}
