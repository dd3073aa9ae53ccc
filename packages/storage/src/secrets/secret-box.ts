// AES-256-GCM sealing of profile secrets. A sealed value reads
//   enc:v2:<keyId>:<iv>:<ciphertext+tag>:<public view>   (base64url parts), or
//   enc:v1:<keyId>:<iv>:<ciphertext+tag>                 (before the view, and
//                                                          the migrator's seals)
// and is bound (GCM additional authenticated data) to the key id, the profile id,
// the field and, in v2, the view, so a ciphertext copied into another profile or
// field, or given another view, does not open.
//
// The view is what a response shows of the secret (the redacted connection
// string; nothing for a password), written beside the ciphertext when it is
// sealed: a read takes it without a cipher (an opening costs 10 to 30 µs), and
// only a use of the secret (a test, discovery, a preview) opens it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './encryption-keys.js';

const PREFIX = 'enc:v1:';
const PREFIX_V2 = 'enc:v2:';
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

/** What a read may show of a v2 sealed value without opening it. */
export type Viewed =
  | { readonly ok: true; readonly view: string }
  | { readonly ok: false; readonly reason: UnreadableReason; readonly keyId?: string };

export interface SecretBox {
  /** Seals; with a view (may be empty), in v2 with the view beside the ciphertext. */
  seal(plaintext: string, profileId: string, field: SecretField, view?: string): string;
  /** Opens a sealed value; a value without the enc: prefix is plaintext written before sealing existed. */
  open(stored: string, profileId: string, field: SecretField): Opened;
  /**
   * A v2 value's view, if its key is one of ours and its parts have their shape (nothing is
   * decrypted or authenticated: a use opens it); undefined for v1 and plaintext, which must be opened.
   */
  view(stored: string): Viewed | undefined;
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

function additionalData(keyId: string, profileId: string, field: SecretField, viewText?: string): Buffer {
  // NUL cannot occur in a profile id (PostgreSQL refuses it), nor in base64url, so the parts stay apart.
  return Buffer.from(
    viewText === undefined
      ? `${PREFIX}${keyId}\u0000${profileId}\u0000${field}`
      : `${PREFIX_V2}${keyId}\u0000${profileId}\u0000${field}\u0000${viewText}`,
    'utf8',
  );
}

/** The parts of a sealed value, or undefined for a malformed one. */
function partsOf(stored: string): { keyId: string; ivText: string; sealedText: string; viewText?: string } | undefined {
  const v2 = stored.startsWith(PREFIX_V2);
  if (!v2 && !stored.startsWith(PREFIX)) return undefined;
  const parts = stored.slice(PREFIX.length).split(':');
  const [keyId, ivText, sealedText, viewText] = parts;
  if (parts.length !== (v2 ? 4 : 3) || !keyId || !ivText || !sealedText) return undefined;
  return v2 ? { keyId, ivText, sealedText, viewText: viewText ?? '' } : { keyId, ivText, sealedText };
}

/** base64url of IV_BYTES, and of at least the tag: what a well-formed value's parts measure. */
const IV_TEXT_LENGTH = Math.ceil((IV_BYTES * 4) / 3);
const MIN_SEALED_TEXT_LENGTH = Math.ceil((TAG_BYTES * 4) / 3);
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function createSecretBox(keys: KeyRing): SecretBox {
  return {
    seal(plaintext, profileId, field, view) {
      const { id, key } = keys.current;
      const iv = nextIv();
      const viewText = view === undefined ? undefined : Buffer.from(view, 'utf8').toString('base64url');
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData(id, profileId, field, viewText));
      const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      const body = `${id}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
      return viewText === undefined ? `${PREFIX}${body}` : `${PREFIX_V2}${body}:${viewText}`;
    },

    open(stored, profileId, field) {
      if (!isSealed(stored)) return { ok: true, plaintext: stored };
      const parts = partsOf(stored);
      if (!parts) return { ok: false, reason: 'malformed' };
      const { keyId, ivText, sealedText, viewText } = parts;
      const key = keys.byId.get(keyId);
      if (!key) return { ok: false, reason: 'unknown_key', keyId };
      const iv = Buffer.from(ivText, 'base64url');
      const sealed = Buffer.from(sealedText, 'base64url');
      if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) return { ok: false, reason: 'malformed', keyId };
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalData(keyId, profileId, field, viewText));
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

    view(stored) {
      if (!stored.startsWith(PREFIX_V2)) return undefined;
      const parts = partsOf(stored);
      if (!parts) return { ok: false, reason: 'malformed' };
      const { keyId, ivText, sealedText, viewText = '' } = parts;
      if (!keys.byId.has(keyId)) return { ok: false, reason: 'unknown_key', keyId };
      const wellFormed =
        ivText.length === IV_TEXT_LENGTH &&
        sealedText.length >= MIN_SEALED_TEXT_LENGTH &&
        BASE64URL.test(ivText) &&
        BASE64URL.test(sealedText) &&
        BASE64URL.test(viewText);
      if (!wellFormed) return { ok: false, reason: 'malformed', keyId };
      return { ok: true, view: Buffer.from(viewText, 'base64url').toString('utf8') };
    },
  };
}
