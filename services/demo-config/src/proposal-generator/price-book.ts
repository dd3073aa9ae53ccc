// The price book in memory: the file format's members with every amount in
// integer cents, and a version. The defaults are the reference's rates
// (shared/reference/proposal-pricing.md); a deployment replaces them with a
// file (loadPriceBook). Quotes record the version they were priced with.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { FixedIntegrationType, FixedKpiComplexity, LicenseTerm, SetupPlatform } from './catalog.js';
import { centsToDollars, dollarsToCents } from './money.js';
import { priceBookFileSchema, type PriceBookFile } from './price-book-file-schema.js';
import type { Cents, HoursRange } from './quote-types.js';

export interface FixedPrice {
  readonly hours: number;
  readonly charge: Cents;
}

export interface PriceBook {
  /** The file's own `version`, else `sha256-` and 12 hex digits of the canonical JSON of the rates. */
  readonly version: string;
  readonly currency: 'USD';
  readonly validity_days: number;
  readonly licensing: { readonly per_chain_per_year: Readonly<Record<LicenseTerm, Cents>> };
  readonly integration: Readonly<Record<FixedIntegrationType, FixedPrice>>;
  readonly kpi: Readonly<Record<FixedKpiComplexity, FixedPrice>>;
  readonly time_and_materials: {
    readonly rate_per_hour: Cents;
    readonly default_hours: { readonly streaming_api_non_architected: HoursRange; readonly dynamic_rbac: HoursRange };
  };
  readonly environment: {
    readonly access_specialist_hours: number;
    readonly platforms: Readonly<Record<SetupPlatform, { readonly cloud_architect_hours: HoursRange }>>;
  };
  readonly infrastructure: {
    readonly api_gateway_instance_per_month: Cents;
    readonly business_service_instance_per_month: Cents;
    readonly backend_service_instance_per_month: Cents;
    readonly hot_storage_per_gb_month: Cents;
    readonly cold_storage_per_gb_month: Cents;
    readonly redis_node_per_month: Cents;
    readonly data_transfer_per_gb: Cents;
  };
  readonly managed_services: {
    readonly retainer_per_year: Cents;
    readonly retainer_hours: number;
    readonly hourly_rate: Cents;
  };
  readonly internal_cost: { readonly integration_developer_per_hour: Cents };
}

/** A price-book file that cannot be used; the message is one line: file, entry, reason. */
export class PriceBookFileError extends Error {
  readonly code = 'PRICE_BOOK_FILE';
  constructor(
    readonly file: string,
    readonly entry: string,
    readonly reason: string,
  ) {
    super(`PRICE_BOOK_FILE ${file}: ${entry === '' ? '' : `${entry}: `}${reason}`);
    this.name = 'PriceBookFileError';
  }
}

type Rates = Omit<PriceBook, 'version'>;

/** Apply `convert` to every member of a flat record of amounts. */
type Convert = (value: number) => number;

function mapAmounts<T extends Readonly<Record<string | number, number>>>(record: T, convert: Convert): T {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, convert(value)])) as T;
}

function mapFixed<T extends Readonly<Record<string, FixedPrice>>>(prices: T, convert: Convert): T {
  const entries = Object.entries(prices).map(([key, { hours, charge }]) => [key, { hours, charge: convert(charge) }]);
  return Object.fromEntries(entries) as T;
}

/** The same rates with every amount converted (dollars to cents or back); hours and counts unchanged. */
function convertRates(source: Rates, convert: Convert): Rates {
  return {
    currency: source.currency,
    validity_days: source.validity_days,
    licensing: { per_chain_per_year: mapAmounts(source.licensing.per_chain_per_year, convert) },
    integration: mapFixed(source.integration, convert),
    kpi: mapFixed(source.kpi, convert),
    time_and_materials: {
      rate_per_hour: convert(source.time_and_materials.rate_per_hour),
      default_hours: structuredClone(source.time_and_materials.default_hours),
    },
    environment: structuredClone(source.environment),
    infrastructure: mapAmounts(source.infrastructure, convert),
    managed_services: {
      retainer_per_year: convert(source.managed_services.retainer_per_year),
      retainer_hours: source.managed_services.retainer_hours,
      hourly_rate: convert(source.managed_services.hourly_rate),
    },
    internal_cost: mapAmounts(source.internal_cost, convert),
  };
}

/** JSON with object keys sorted at every level, so equal rates always hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The content hash of a file's rates (its `version` member excluded). */
export function contentVersion(file: PriceBookFile): string {
  const content = canonicalJson({ ...file, version: undefined });
  return `sha256-${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
}

/**
 * A validated file-format object to the in-memory book. A declared `version` is kept unless it
 * is itself a content hash, which is recomputed: a file saved from GET /demo/price-book and then
 * edited never keeps the old rates' hash.
 */
export function priceBookFromFile(file: PriceBookFile): PriceBook {
  const declared = file.version !== undefined && !file.version.startsWith('sha256-') ? file.version : undefined;
  return { version: declared ?? contentVersion(file), ...convertRates(file, dollarsToCents) };
}

/** The file format (dollars) of a book: what GET /demo/price-book returns, and loads back unchanged. */
export function priceBookToFile(book: PriceBook): PriceBookFile {
  const { version, ...rest } = book;
  return { version, ...(convertRates(rest, centsToDollars) as PriceBookFile) };
}

/**
 * The issue to report as `entry` and `reason`: an unknown member first (a typo also makes the intended member
 * "required", and the typo is the one to fix), with the missing sibling it probably meant.
 */
function reportedIssue(error: z.ZodError): { entry: string; reason: string } {
  const unknown = error.issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown !== undefined) {
    const parent = unknown.path.join('.');
    const missing = error.issues.find(
      (issue) => issue.message === 'required' && issue.path.slice(0, -1).join('.') === parent,
    );
    const meant = missing === undefined ? '' : ` (a typo of ${String(missing.path[missing.path.length - 1])}?)`;
    const key = unknown.keys[0] ?? '';
    return { entry: parent === '' ? key : `${parent}.${key}`, reason: `unknown member${meant}` };
  }
  const [issue] = error.issues;
  return { entry: issue?.path.join('.') ?? '', reason: issue?.message ?? 'invalid' };
}

/** Validate a parsed file's content; `file` names it in the error. */
export function parsePriceBook(data: unknown, file: string): PriceBook {
  const result = priceBookFileSchema.safeParse(data, {
    error: (issue) => (issue.input === undefined ? 'required' : undefined),
  });
  if (!result.success) {
    const { entry, reason } = reportedIssue(result.error);
    throw new PriceBookFileError(file, entry, reason);
  }
  return priceBookFromFile(result.data);
}

/** Read, parse (JSON or YAML, by extension) and validate a price-book file. */
export function loadPriceBook(path: string): PriceBook {
  const extension = extname(path).toLowerCase();
  if (extension !== '.json' && extension !== '.yaml' && extension !== '.yml') {
    throw new PriceBookFileError(path, '', `unknown extension '${extension}': use .json, .yaml or .yml`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PriceBookFileError(path, '', `cannot read: ${firstLine(error)}`);
  }
  let data: unknown;
  try {
    data = extension === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: false });
  } catch (error) {
    throw new PriceBookFileError(path, '', `not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${firstLine(error)}`);
  }
  return parsePriceBook(data, path);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? '';
}

/** The reference's rates. */
export const defaultPriceBookFile: PriceBookFile = {
  currency: 'USD',
  validity_days: 30,
  licensing: { per_chain_per_year: { 1: 35_000, 3: 32_500, 5: 30_000 } },
  integration: {
    batch_conformed: { hours: 15, charge: 1_500 },
    batch_non_conformed_single: { hours: 20, charge: 2_500 },
    batch_non_conformed_multi: { hours: 30, charge: 3_500 },
    batch_entity_resolution: { hours: 30, charge: 3_500 },
    streaming_api_architected: { hours: 20, charge: 2_500 },
  },
  kpi: {
    otb: { hours: 0.5, charge: 50 },
    custom_basic: { hours: 0.5, charge: 50 },
    rbac: { hours: 1, charge: 100 },
  },
  time_and_materials: {
    rate_per_hour: 175,
    default_hours: { streaming_api_non_architected: { min: 40, max: 60 }, dynamic_rbac: { min: 20, max: 30 } },
  },
  environment: {
    access_specialist_hours: 16,
    platforms: {
      on_prem: { cloud_architect_hours: { min: 40, max: 80 } },
      azure: { cloud_architect_hours: { min: 40, max: 80 } },
      aws: { cloud_architect_hours: { min: 40, max: 80 } },
      gcp: { cloud_architect_hours: { min: 40, max: 80 } },
      oracle: { cloud_architect_hours: { min: 40, max: 80 } },
    },
  },
  infrastructure: {
    api_gateway_instance_per_month: 50,
    business_service_instance_per_month: 100,
    backend_service_instance_per_month: 150,
    hot_storage_per_gb_month: 0.1,
    cold_storage_per_gb_month: 0.01,
    redis_node_per_month: 100,
    data_transfer_per_gb: 0.09,
  },
  managed_services: { retainer_per_year: 5_000, retainer_hours: 66.67, hourly_rate: 75 },
  internal_cost: { integration_developer_per_hour: 70 },
};

export const defaultPriceBook: PriceBook = parsePriceBook(defaultPriceBookFile, 'the default price book');
