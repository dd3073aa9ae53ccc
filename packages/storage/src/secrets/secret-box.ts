// AES-256-GCM sealing of profile secrets. A sealed value reads
//   enc:v1:<keyId>:<iv base64url>:<ciphertext+tag base64url>
// and is bound (GCM additional authenticated data) to the key id, the profile id
// and the field, so a ciphertext copied into another profile or field does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './encryption-keys.js';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The secret fields, by their path in the profile document (legacy.password: a
 * Python-era password that disagreed with credentials.password, kept sealed); and
 * the stored first answers of idempotent creates.
 */
export type SecretField = 'connection_string' | 'credentials.password' | 'legacy.password' | 'idempotent-answer';

/** Why a stored secret could not be opened (never anything about its content). */
export type UnreadableReason = 'unknown_key' | 'malformed' | 'authentication_failed';

export type Opened =
  | { readonly ok: true; readonly plaintext: string }
  | { readonly ok: false; readonly reason: UnreadableReason; readonly keyId?: string };

export interface SecretBox {
  seal(plaintext: string, profileId: string, field: SecretField): string;
  /** Opens a sealed value; a value without the enc: prefix is plaintext written before sealing existed. */
  open(stored: string, profileId: string, field: SecretField): Opened;
}

export function isSealed(value: string): boolean {
  return value.startsWith('enc:');
}

/**
 * IVs cut from a buffer of random bytes filled 4 KiB at a time: as random as a
 * randomBytes call each (the same CSPRNG), without a call into it per seal.
 * Every IV is a fresh slice, never reused.
 */
const IV_POOL_BYTES = 4096;
let ivPool = Buffer.alloc(0);
let ivOffset = IV_POOL_BYTES;

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

function additionalData(keyId: string, profileId: string, field: SecretField): Buffer {
  // NUL cannot occur in a profile id (PostgreSQL refuses it), so the parts stay apart.
  return Buffer.from(`${PREFIX}${keyId}\u0000${profileId}\u0000${field}`, 'utf8');
}

export function createSecretBox(keys: KeyRing): SecretBox {
  return {
    seal(plaintext, profileId, field) {
      const { id, key } = keys.current;
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData(id, profileId, field));
      const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}${id}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
    },

    open(stored, profileId, field) {
      if (!isSealed(stored)) return { ok: true, plaintext: stored };
      const parts = stored.startsWith(PREFIX) ? stored.slice(PREFIX.length).split(':') : [];
      const [keyId, ivText, sealedText] = parts;
      if (parts.length !== 3 || !keyId || !ivText || !sealedText) return { ok: false, reason: 'malformed' };
      const key = keys.byId.get(keyId);
      if (!key) return { ok: false, reason: 'unknown_key', keyId };
      const iv = Buffer.from(ivText, 'base64url');
      const sealed = Buffer.from(sealedText, 'base64url');
      if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) return { ok: false, reason: 'malformed', keyId };
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalData(keyId, profileId, field));
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        const plaintext = Buffer.concat([
          decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return { ok: true, plaintext: plaintext.toString('utf8') };
      } catch {
        return { ok: false, reason: 'authentication_failed', keyId };
      }
    },
  };
}
