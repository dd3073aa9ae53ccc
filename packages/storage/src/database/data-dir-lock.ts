// PGlite does not lock its directory, and two processes writing one PGDATA corrupt
// it. A lock file beside the data records its holder; a holder that no longer runs
// (a crash, SIGKILL) is detected by pid and process start time and taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError } from '../errors.js';

interface LockHolder {
  pid: number;
  host: string;
  /** Kernel start time of the process (Linux), so a recycled pid is not mistaken for the holder. */
  processStart: string | null;
  since: string;
  command: string;
}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'lock');
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    processStart: processStartTime(process.pid),
    since: new Date().toISOString(),
    command: process.argv.slice(1).join(' ').slice(0, 200),
  };

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return {
        release: () => {
          releaseIfOurs(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder && isAlive(holder)) {
        throw new DataDirLockedError(dataDir, describe(holder));
      }
      removeStaleLock(path);
    }
  }
  throw new DataDirLockedError(dataDir, 'another process that is starting at the same moment');
}

/**
 * Two processes may find the same stale lock at once. A takeover directory
 * (mkdir is atomic) lets only one of them remove it, after checking again that
 * it is still the stale one; the other then finds the winner's live lock.
 */
function removeStaleLock(path: string): void {
  const takeover = `${path}.takeover`;
  try {
    mkdirSync(takeover);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Left by a process that died mid-takeover (a window of microseconds): clear it after a while.
    if (Date.now() - statSync(takeover).mtimeMs > 10_000) rmdirSync(takeover);
    return;
  }
  try {
    const holder = readHolder(path);
    if (!holder || !isAlive(holder)) rmSync(path, { force: true });
  } finally {
    rmdirSync(takeover);
  }
}

function releaseIfOurs(path: string): void {
  const holder = readHolder(path);
  if (holder?.pid === process.pid && holder.host === hostname()) rmSync(path, { force: true });
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}

function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true; // cannot check another host: assume it runs
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return holder.processStart === null || processStartTime(holder.pid) === holder.processStart;
}

function processStartTime(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count from its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function describe(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.host} (${holder.command}) since ${holder.since}`;
}
