// A development key file: one `id:material` entry in DATA_DIR, created once
// (mode 0600, atomically: a process racing this one reads the winner's file)
// and reused afterwards, so what it sealed or signed survives restarts. Used
// when a service's key variable is unset outside production.
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface KeyFile {
  readonly path: string;
  /** The entry as written: key material, for a parser only. */
  readonly text: string;
  /** True when this call created the file. */
  readonly created: boolean;
  /** True when an existing file was readable by others and was narrowed to 0600: worth a warning. */
  readonly permissionsFixed: boolean;
}

/**
 * The file `fileName` in `dataDir`; `newEntry` makes its one entry, from a fresh `dev-<hex>` id, when it is missing.
 */
export async function loadKeyFile(
  dataDir: string,
  fileName: string,
  newEntry: (id: string) => string,
): Promise<KeyFile> {
  const path = join(dataDir, fileName);
  await mkdir(dataDir, { recursive: true });
  let created = false;
  try {
    await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    created = await createKeyFile(path, newEntry(`dev-${randomBytes(4).toString('hex')}`));
  }
  let permissionsFixed = false;
  if (((await stat(path)).mode & 0o077) !== 0) {
    await chmod(path, 0o600);
    permissionsFixed = true;
  }
  return { path, text: (await readFile(path, 'utf8')).trim(), created, permissionsFixed };
}

async function createKeyFile(path: string, entry: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
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
