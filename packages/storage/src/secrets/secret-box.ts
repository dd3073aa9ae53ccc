// AES-256-GCM sealing of profile secrets. A sealed value reads
//   enc:v2:<keyId>:<iv>:<ciphertext+tag>:<view>   (iv and ciphertext base64url), or
//   enc:v1:<keyId>:<iv>:<ciphertext+tag>          (sealed before views existed,
//                                                   and idempotent answers)
// and is bound (GCM additional authenticated data) to the key id, the profile id,
// the field and, in v2, the view, so a ciphertext copied into another profile or
// field, or given another view, does not open.
//
// The view is what a response shows of the secret (the redacted connection
// string; nothing for a password), written as it is after the ciphertext, the
// last part, so it may hold colons: a read takes it without a cipher (an opening
// costs 10 to 30 µs, and a page of fifty profiles held a hundred), and only a use
// of the secret (a test, discovery, a preview) opens the ciphertext.
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

function additionalData(keyId: string, profileId: string, field: SecretField, view?: string): Buffer {
  // NUL cannot occur in a profile id (PostgreSQL refuses it) nor in a stored view, so the parts stay apart.
  return Buffer.from(
    view === undefined
      ? `${PREFIX}${keyId}\u0000${profileId}\u0000${field}`
      : `${PREFIX_V2}${keyId}\u0000${profileId}\u0000${field}\u0000${view}`,
    'utf8',
  );
}

interface Parts {
  readonly keyId: string;
  readonly ivText: string;
  readonly sealedText: string;
  /** v2 only. */
  readonly view?: string;
}

/** The parts of a sealed value, or undefined for a malformed one. By index, not split: a read takes a view this way. */
function partsOf(stored: string): Parts | undefined {
  const v2 = stored.startsWith(PREFIX_V2);
  if (!v2 && !stored.startsWith(PREFIX)) return undefined;
  const afterKey = stored.indexOf(':', PREFIX.length);
  const afterIv = afterKey < 0 ? -1 : stored.indexOf(':', afterKey + 1);
  if (afterIv < 0) return undefined;
  const afterSealed = stored.indexOf(':', afterIv + 1);
  // v1 has no fourth part; in v2 the view is everything after the third colon.
  if (v2 === afterSealed < 0) return undefined;
  const keyId = stored.slice(PREFIX.length, afterKey);
  const ivText = stored.slice(afterKey + 1, afterIv);
  const sealedText = v2 ? stored.slice(afterIv + 1, afterSealed) : stored.slice(afterIv + 1);
  if (!keyId || !ivText || !sealedText) return undefined;
  return v2 ? { keyId, ivText, sealedText, view: stored.slice(afterSealed + 1) } : { keyId, ivText, sealedText };
}

/** base64url of IV_BYTES, and of at least the tag: what a well-formed value's parts measure. */
const IV_TEXT_LENGTH = Math.ceil((IV_BYTES * 4) / 3);
const MIN_SEALED_TEXT_LENGTH = Math.ceil((TAG_BYTES * 4) / 3);

export function createSecretBox(keys: KeyRing): SecretBox {
  return {
    seal(plaintext, profileId, field, view) {
      const { id, key } = keys.current;
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData(id, profileId, field, view));
      const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      const body = `${id}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
      return view === undefined ? `${PREFIX}${body}` : `${PREFIX_V2}${body}:${view}`;
    },

    open(stored, profileId, field) {
      if (!isSealed(stored)) return { ok: true, plaintext: stored };
      const parts = partsOf(stored);
      if (!parts) return { ok: false, reason: 'malformed' };
      const { keyId, ivText, sealedText, view } = parts;
      const key = keys.byId.get(keyId);
      if (!key) return { ok: false, reason: 'unknown_key', keyId };
      const iv = Buffer.from(ivText, 'base64url');
      const sealed = Buffer.from(sealedText, 'base64url');
      if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) return { ok: false, reason: 'malformed', keyId };
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalData(keyId, profileId, field, view));
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
      const { keyId, ivText, sealedText, view = '' } = parts;
      if (!keys.byId.has(keyId)) return { ok: false, reason: 'unknown_key', keyId };
      // The lengths only: a value tampered with beyond them is refused where it is used, when it is opened.
      if (ivText.length !== IV_TEXT_LENGTH || sealedText.length < MIN_SEALED_TEXT_LENGTH)
        return { ok: false, reason: 'malformed', keyId };
      return { ok: true, view };
    },
  };
}
