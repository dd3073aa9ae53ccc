// --embedded: the seed opens the PGlite data directory itself, while no
// service holds it (PGlite is one process, one connection). @electric-sql/pglite
// is a dependency of @analytics-engine/storage, so it is resolved from there.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { RunSql } from './seed.js';

interface PGliteInstance {
  query(text: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}
interface PGliteModule {
  PGlite: { create(dataDir: string): Promise<PGliteInstance> };
}

export async function openEmbedded(pgdata: string): Promise<{ run: RunSql; close(): Promise<void> }> {
  const fromStorage = createRequire(import.meta.resolve('@analytics-engine/storage'));
  const module = (await import(pathToFileURL(fromStorage.resolve('@electric-sql/pglite')).href)) as PGliteModule;
  const pglite = await module.PGlite.create(pgdata);
  return { run: (text, params) => pglite.query(text, params), close: () => pglite.close() };
}
