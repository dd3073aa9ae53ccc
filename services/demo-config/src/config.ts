// The Demo Config Service's settings: its variables are part of the process's
// one configuration (parsed at start), turned here into what the routes need:
// the price book, and the keys that sign licences.
import { serviceSettings, type ProcessConfig } from '@analytics-engine/http';
import { ConfigError } from '@analytics-engine/storage';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { loadLicenseSigningKeys, type LicenseSigningKeyRing } from './licenses/signing-keys.js';
import { defaultPriceBook, loadPriceBook, PriceBookFileError, type PriceBook } from './proposal-generator/index.js';

export const demoConfigEnvShape = {
  /** A price book (JSON or YAML) replacing the default rates. */
  PRICE_BOOK_FILE: z.string().trim().optional(),
  /** kid:base64-PKCS8 Ed25519 private keys, comma-separated; the first signs. */
  LICENSE_SIGNING_KEYS: z.string().trim().optional(),
};

export interface DemoConfigSettings {
  readonly priceBook: PriceBook;
  readonly signingKeys: LicenseSigningKeyRing;
}

export async function loadDemoConfigSettings(
  config: ProcessConfig,
  log: FastifyBaseLogger,
): Promise<DemoConfigSettings> {
  const { PRICE_BOOK_FILE: file, LICENSE_SIGNING_KEYS: keys } = serviceSettings(config, demoConfigEnvShape);
  const loaded = await loadLicenseSigningKeys({
    value: keys,
    nodeEnv: config.nodeEnv,
    dataDir: config.database.dataDir,
  });
  if (loaded.source === 'development-file') {
    const verb = loaded.created ? 'created' : 'using';
    log.warn(
      `LICENSE_SIGNING_KEYS is not set: ${verb} the development licence signing key ${loaded.path} ` +
        `(kid '${loaded.ring.current.kid}'). Not for production: set LICENSE_SIGNING_KEYS there.`,
    );
    if (loaded.permissionsFixed) log.warn(`${loaded.path} was readable by other users; its mode is now 0600`);
  }
  return { priceBook: priceBookOf(file), signingKeys: loaded.ring };
}

function priceBookOf(file: string | undefined): PriceBook {
  if (file === undefined) return defaultPriceBook;
  try {
    return loadPriceBook(file);
  } catch (error) {
    // One line naming the file, the entry and the reason: the boot refuses it.
    if (error instanceof PriceBookFileError) throw new ConfigError(error.message);
    throw error;
  }
}
