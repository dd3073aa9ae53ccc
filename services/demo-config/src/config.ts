// The Demo Config Service's settings: its variables are part of the process's
// one configuration (parsed at start), turned here into what the routes need.
import { serviceSettings, type ProcessConfig } from '@analytics-engine/http';
import { ConfigError } from '@analytics-engine/storage';
import { z } from 'zod';
import { defaultPriceBook, loadPriceBook, PriceBookFileError, type PriceBook } from './proposal-generator/index.js';

export const demoConfigEnvShape = {
  /** A price book (JSON or YAML) replacing the default rates. */
  PRICE_BOOK_FILE: z.string().trim().optional(),
};

export interface DemoConfigSettings {
  readonly priceBook: PriceBook;
}

export function loadDemoConfigSettings(config: ProcessConfig): DemoConfigSettings {
  const { PRICE_BOOK_FILE: file } = serviceSettings(config, demoConfigEnvShape);
  if (file === undefined) return { priceBook: defaultPriceBook };
  try {
    return { priceBook: loadPriceBook(file) };
  } catch (error) {
    // One line naming the file, the entry and the reason: the boot refuses it.
    if (error instanceof PriceBookFileError) throw new ConfigError(error.message);
    throw error;
  }
}
