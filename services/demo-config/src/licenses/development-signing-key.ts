// The development licence signing key: one `kid:base64-PKCS8` line in
// <DATA_DIR>/license-signing.key, created once (0600) when LICENSE_SIGNING_KEYS is
// unset outside production, so licences issued in development survive restarts.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DEV_SIGNING_KEY_FILE_NAME = 'license-signing.key';

export interface DevelopmentSigningKeyFile {
  readonly path: string;
  /** The entry as written: key material, for the parser only. */
  readonly text: string;
  readonly created: boolean;
  readonly permissionsFixed: boolean;
}

/** One `kid:base64-PKCS8` entry with a fresh key, as LICENSE_SIGNING_KEYS takes it. */
export function newSigningKeyEntry(kid: string): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return `${kid}:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`;
}

/** Creates the file atomically (a process racing this one reads the winner's key) and reuses it afterwards. */
export async function loadDevelopmentSigningKey(dataDir: string): Promise<DevelopmentSigningKeyFile> {
  const path = join(dataDir, DEV_SIGNING_KEY_FILE_NAME);
  await mkdir(dataDir, { recursive: true });
  let created = false;
  try {
    await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    created = await createKeyFile(path);
  }
  let permissionsFixed = false;
  if (((await stat(path)).mode & 0o077) !== 0) {
    await chmod(path, 0o600);
    permissionsFixed = true;
  }
  return { path, text: (await readFile(path, 'utf8')).trim(), created, permissionsFixed };
}

async function createKeyFile(path: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const entry = newSigningKeyEntry(`dev-${randomBytes(4).toString('hex')}`);
  await writeFile(temporary, `${entry}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary);
  }
}
