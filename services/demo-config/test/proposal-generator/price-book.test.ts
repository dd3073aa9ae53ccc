// The price book: the reference's rates as defaults, the file format (JSON and
// YAML) saved and loaded back unchanged, versions, a file that changes a rate
// changing the quote, and one-line errors naming the file, the entry and why.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import {
  contentVersion,
  defaultPriceBook,
  loadPriceBook,
  PriceBookFileError,
  priceBookToFile,
} from '../../src/proposal-generator/price-book.js';
import type { PriceBookFile } from '../../src/proposal-generator/price-book-file-schema.js';
import { minimal, quoteFor, referenceInfrastructure } from './support.js';

const directory = mkdtempSync(join(tmpdir(), 'price-book-'));
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

let files = 0;
/** Write `content` (an object is written as JSON or YAML by the extension) and return the path. */
function write(extension: string, content: unknown): string {
  const path = join(directory, `book-${++files}${extension}`);
  const serialize = extension === '.json' ? JSON.stringify : (value: unknown) => toYaml(value);
  const text = typeof content === 'string' ? content : serialize(content);
  writeFileSync(path, text);
  return path;
}

const defaults = (): PriceBookFile => structuredClone(priceBookToFile(defaultPriceBook));

describe('the default price book holds every rate of the reference, in cents', () => {
  const book = defaultPriceBook;
  it.each([
    ['licence 1 year', book.licensing.per_chain_per_year[1], 3_500_000],
    ['licence 3 years', book.licensing.per_chain_per_year[3], 3_250_000],
    ['licence 5 years', book.licensing.per_chain_per_year[5], 3_000_000],
    ['batch conformed', book.integration.batch_conformed.charge, 150_000],
    ['batch non-conformed single', book.integration.batch_non_conformed_single.charge, 250_000],
    ['batch non-conformed multi', book.integration.batch_non_conformed_multi.charge, 350_000],
    ['batch entity resolution', book.integration.batch_entity_resolution.charge, 350_000],
    ['streaming API architected', book.integration.streaming_api_architected.charge, 250_000],
    ['KPI otb', book.kpi.otb.charge, 5_000],
    ['KPI custom basic', book.kpi.custom_basic.charge, 5_000],
    ['KPI rbac', book.kpi.rbac.charge, 10_000],
    ['T&M rate', book.time_and_materials.rate_per_hour, 17_500],
    ['API gateway t3.medium', book.infrastructure.api_gateway_instance_per_month, 5_000],
    ['business service t3.large', book.infrastructure.business_service_instance_per_month, 10_000],
    ['backend service t3.xlarge', book.infrastructure.backend_service_instance_per_month, 15_000],
    ['hot storage per GB', book.infrastructure.hot_storage_per_gb_month, 10],
    ['cold storage per GB', book.infrastructure.cold_storage_per_gb_month, 1],
    ['Redis cache.m5.large', book.infrastructure.redis_node_per_month, 10_000],
    ['data transfer per GB', book.infrastructure.data_transfer_per_gb, 9],
    ['managed retainer', book.managed_services.retainer_per_year, 500_000],
    ['managed hourly', book.managed_services.hourly_rate, 7_500],
    ['internal developer cost', book.internal_cost.integration_developer_per_hour, 7_000],
  ])('%s', (_name, actual, cents) => {
    expect(actual).toBe(cents);
  });

  it('and the hours, hour ranges and validity', () => {
    expect(Object.values(book.integration).map((price) => price.hours)).toEqual([15, 20, 30, 30, 20]);
    expect(Object.values(book.kpi).map((price) => price.hours)).toEqual([0.5, 0.5, 1]);
    expect(book.time_and_materials.default_hours).toEqual({
      streaming_api_non_architected: { min: 40, max: 60 },
      dynamic_rbac: { min: 20, max: 30 },
    });
    for (const platform of Object.values(book.environment.platforms)) {
      expect(platform.cloud_architect_hours).toEqual({ min: 40, max: 80 });
    }
    expect(Object.keys(book.environment.platforms)).toEqual(['on_prem', 'azure', 'aws', 'gcp', 'oracle']);
    expect(book.managed_services.retainer_hours).toBe(66.67);
    expect(book.validity_days).toBe(30);
    expect(book.version).toMatch(/^sha256-[0-9a-f]{12}$/);
  });
});

describe('saved and loaded back', () => {
  it.each(['.json', '.yaml', '.yml'])('the file format round-trips through %s unchanged, version included', (ext) => {
    const file = priceBookToFile(defaultPriceBook);
    expect(file.infrastructure.hot_storage_per_gb_month).toBe(0.1);
    expect(file.licensing.per_chain_per_year[3]).toBe(32_500);
    const loaded = loadPriceBook(write(ext, file));
    expect(loaded).toEqual(defaultPriceBook);
    expect(priceBookToFile(loaded)).toEqual(file);
  });

  it('keeps a declared version, through a round trip too', () => {
    const loaded = loadPriceBook(write('.yaml', { ...defaults(), version: 'acme-2027-q1' }));
    expect(loaded.version).toBe('acme-2027-q1');
    expect(loadPriceBook(write('.json', priceBookToFile(loaded))).version).toBe('acme-2027-q1');
  });

  it('recomputes a sha256- version, so an edited copy of GET /demo/price-book never keeps a stale hash', () => {
    const edited = defaults();
    edited.validity_days = 45;
    const loaded = loadPriceBook(write('.yaml', edited));
    expect(edited.version).toBe(defaultPriceBook.version);
    expect(loaded.version).not.toBe(defaultPriceBook.version);
    expect(loaded.version).toBe(contentVersion(edited));
  });

  it('hashes the rates, not the key order or the layout', () => {
    const reordered = Object.fromEntries(Object.entries(defaults()).reverse());
    expect(loadPriceBook(write('.json', reordered)).version).toBe(defaultPriceBook.version);
    const yaml = `# our rates\n${toYaml(defaults(), { indent: 4 })}`;
    expect(loadPriceBook(write('.yaml', yaml)).version).toBe(defaultPriceBook.version);
  });
});

describe('the documented example', () => {
  it('in docs/proposal-generator.md is the default book under its own version', () => {
    const doc = readFileSync(new URL('../../docs/proposal-generator.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    const loaded = loadPriceBook(write('.yaml', yaml ?? ''));
    expect(loaded).toEqual({ ...defaultPriceBook, version: 'acme-2027-q1' });
  });
});

describe('a file that changes a rate changes the quote', () => {
  it('YAML: a 3-year licence at $30,000 makes SCOR + CRM $60,000 a year', () => {
    const yaml = toYaml(defaults()).replace(/("?)3\1: 32500/, '"3": 30000');
    expect(yaml).toContain('"3": 30000');
    const book = loadPriceBook(write('.yaml', yaml));
    const quote = quoteFor(minimal, book);
    expect(quote.licensing.annual_total).toBe(6_000_000);
    expect(quote.price_book.version).toBe(book.version);
    expect(book.version).not.toBe(defaultPriceBook.version);
  });

  it('JSON: hot storage at $0.25/GB makes 500 GB $125 a month, and a 45-day validity', () => {
    const file = defaults();
    file.infrastructure.hot_storage_per_gb_month = 0.25;
    file.validity_days = 45;
    const book = loadPriceBook(write('.json', file));
    const quote = quoteFor({ ...minimal, infrastructure: referenceInfrastructure }, book);
    expect(quote.infrastructure.storage.monthly).toBe(12_500 + 2_000 + 10_000);
    expect(quote.valid_until).toBe('2027-01-17');
  });
});

describe('a bad file is refused with one line naming the file, the entry and the reason', () => {
  const withRate = (change: (file: Record<string, any>) => void) => {
    const file = defaults() as Record<string, any>;
    change(file);
    return file;
  };

  it.each([
    [
      'an amount with three decimals',
      withRate((f) => (f.licensing.per_chain_per_year[3] = 32_500.001)),
      'licensing.per_chain_per_year.3: must be a non-negative amount with at most two decimals',
    ],
    [
      'a negative amount',
      withRate((f) => (f.infrastructure.redis_node_per_month = -1)),
      'infrastructure.redis_node_per_month: must be a non-negative amount with at most two decimals',
    ],
    [
      'an amount written as text',
      withRate((f) => (f.time_and_materials.rate_per_hour = '$175')),
      'time_and_materials.rate_per_hour: Invalid input: expected number, received string',
    ],
    [
      'a misspelt member',
      withRate((f) => {
        f.managed_services.retainer_per_yaer = f.managed_services.retainer_per_year;
        delete f.managed_services.retainer_per_year;
      }),
      'managed_services.retainer_per_yaer: unknown member (a typo of retainer_per_year?)',
    ],
    ['a missing section', withRate((f) => delete f.kpi), 'kpi: required'],
    ['an unknown section', withRate((f) => (f.discounts = {})), 'discounts: unknown member'],
    ['a missing rate', withRate((f) => delete f.integration.batch_conformed), 'integration.batch_conformed: required'],
    [
      'an hour range upside down',
      withRate((f) => (f.time_and_materials.default_hours.dynamic_rbac = { min: 30, max: 20 })),
      'time_and_materials.default_hours.dynamic_rbac: min must not be above max',
    ],
    ['another currency', withRate((f) => (f.currency = 'EUR')), 'currency: Invalid input: expected "USD"'],
    [
      'a fractional validity',
      withRate((f) => (f.validity_days = 30.5)),
      'validity_days: Invalid input: expected int, received number',
    ],
  ])('%s', (_case, content, entry) => {
    for (const ext of ['.yaml', '.json']) {
      const path = write(ext, content);
      const message = errorOf(() => loadPriceBook(path));
      expect(message).toBe(`PRICE_BOOK_FILE ${path}: ${entry}`);
    }
  });

  it.each([
    ['.yaml', 'licensing: [unclosed\n  per_chain', 'not valid YAML: '],
    ['.json', '{"licensing": ', 'not valid JSON: '],
    ['.toml', 'x = 1', "unknown extension '.toml': use .json, .yaml or .yml"],
    ['.yaml', '- just\n- a list\n', 'Invalid input: expected object, received array'],
  ])('a %s file holding %j', (ext, text, reason) => {
    const path = write(ext, text);
    const message = errorOf(() => loadPriceBook(path));
    expect(message.startsWith(`PRICE_BOOK_FILE ${path}: ${reason}`), message).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('a file that is not there', () => {
    const path = join(directory, 'missing.yaml');
    const message = errorOf(() => loadPriceBook(path));
    expect(message.startsWith(`PRICE_BOOK_FILE ${path}: cannot read: ENOENT`), message).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('the error is typed, with its code', () => {
    const path = write(
      '.json',
      withRate((f) => delete f.kpi),
    );
    let caught: unknown;
    try {
      loadPriceBook(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PriceBookFileError);
    expect(caught).toMatchObject({ code: 'PRICE_BOOK_FILE', file: path, entry: 'kpi', reason: 'required' });
  });
});

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected an error');
}
