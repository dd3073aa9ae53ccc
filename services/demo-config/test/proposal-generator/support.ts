// Shared by the proposal-generator tests: quoting a questionnaire as the route
// will (schema, then generator), the reference's questionnaire pieces, and
// fast-check arbitraries of valid questionnaires.
import fc from 'fast-check';
import {
  INTEGRATION_TYPES,
  KPI_COMPLEXITIES,
  PLATFORMS,
  REFRESH_PERIODS,
  TM_INTEGRATION_TYPE,
  TM_KPI_COMPLEXITY,
} from '../../src/proposal-generator/catalog.js';
import { generateQuote } from '../../src/proposal-generator/generate-quote.js';
import { defaultPriceBook, type PriceBook } from '../../src/proposal-generator/price-book.js';
import {
  questionnaireExample,
  questionnaireSchema,
  type Questionnaire,
  type QuestionnaireInput,
} from '../../src/proposal-generator/questionnaire-schema.js';
import type { Quote } from '../../src/proposal-generator/quote-types.js';

/** A Thursday. */
export const TODAY = '2026-12-03';

export function parse(input: QuestionnaireInput): Questionnaire {
  return questionnaireSchema.parse(input);
}

export function quoteFor(input: QuestionnaireInput, book: PriceBook = defaultPriceBook, today = TODAY): Quote {
  return generateQuote(parse(input), book, { today });
}

/** The smallest valid questionnaire: two value chains, nothing to build, no infrastructure worth pricing. */
export const minimal = {
  value_chains: ['SCOR', 'CRM'],
  license_term_years: 3,
  environment: { platform: 'none' },
  infrastructure: { api_gateway_instances: 0 },
} satisfies QuestionnaireInput;

/** The reference's infrastructure example: $1,860 a month (the questionnaire example's). */
export const referenceInfrastructure = questionnaireExample.infrastructure;

/** Validation issues of a questionnaire as `path: message` lines (empty when it is valid). */
export function issues(input: unknown): string[] {
  const result = questionnaireSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

// ---- arbitraries of valid questionnaires --------------------------------------------------------------

const hours = fc.integer({ min: 0, max: 40_000 }).map((hundredths) => hundredths / 100);
export const hoursRange = fc.tuple(hours, hours).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));

const objectArb = (index: number) =>
  fc
    .record({ integration: fc.constantFrom(...INTEGRATION_TYPES), tm_hours: fc.option(hoursRange, { nil: undefined }) })
    .map(({ integration, tm_hours }) => ({
      name: `Object ${index}`,
      source_system: `System ${index % 3}`,
      integration,
      ...(integration === TM_INTEGRATION_TYPE && tm_hours !== undefined ? { tm_hours } : {}),
    }));

const kpiArb = (index: number) =>
  fc
    .record({ complexity: fc.constantFrom(...KPI_COMPLEXITIES), tm_hours: fc.option(hoursRange, { nil: undefined }) })
    .map(({ complexity, tm_hours }) => ({
      code: `KPI-${index}`,
      name: `KPI ${index}`,
      complexity,
      ...(complexity === TM_KPI_COMPLEXITY && tm_hours !== undefined ? { tm_hours } : {}),
    }));

/** n distinct objects or KPIs. */
const listOf = <T>(make: (index: number) => fc.Arbitrary<T>, max: number) =>
  fc.integer({ min: 0, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => make(i))));

export { kpiArb, objectArb };

const environmentArb = fc.oneof(
  fc.constant({ platform: 'none' as const }),
  fc.record(
    {
      platform: fc.constantFrom(...PLATFORMS.filter((platform) => platform !== 'none')),
      cloud_architect_hours: fc.oneof(hours, hoursRange),
    },
    { requiredKeys: ['platform'] },
  ),
);

export const retentionArb = fc.record(
  {
    staged_days: fc.integer({ min: 0, max: 3650 }),
    analytics_days: fc.integer({ min: 0, max: 3650 }),
    archive_years: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant('indefinite' as const)),
  },
  { requiredKeys: [] },
);

export const sizingArb = fc.record(
  {
    daily_ingest_gb: fc.integer({ min: 0, max: 500_000 }).map((hundredths) => hundredths / 100),
    concurrent_users: fc.integer({ min: 0, max: 20_000 }),
    refresh_period: fc.constantFrom(...REFRESH_PERIODS),
  },
  { requiredKeys: ['daily_ingest_gb', 'concurrent_users'] },
);

const explicitArb = fc.record({
  api_gateway_instances: fc.integer({ min: 0, max: 50 }),
  business_service_instances: fc.integer({ min: 0, max: 50 }),
  backend_service_instances: fc.integer({ min: 0, max: 50 }),
  hot_storage_gb: fc.integer({ min: 0, max: 1_000_000 }),
  cold_storage_gb: fc.integer({ min: 0, max: 1_000_000 }),
  redis: fc.integer({ min: 0, max: 10 }),
  data_transfer_gb_per_month: fc.integer({ min: 0, max: 1_000_000 }),
});

export const questionnaireArb = fc.record(
  {
    value_chains: fc.uniqueArray(fc.constantFrom('SCOR', 'CRM', 'Sales Analytics', 'Financial Analytics'), {
      minLength: 1,
    }),
    license_term_years: fc.constantFrom(1 as const, 3 as const, 5 as const),
    objects: listOf(objectArb, 25),
    kpis: listOf(kpiArb, 40),
    environment: environmentArb,
    retention: retentionArb,
    infrastructure: fc.oneof(explicitArb, sizingArb),
    managed_services: fc.record({ retainer: fc.boolean(), additional_hours_per_year: hours }),
    team: fc.record(
      {
        integration_developers: fc.integer({ min: 1, max: 6 }),
        integration_architects: fc.integer({ min: 1, max: 3 }),
        cloud_architects: fc.integer({ min: 1, max: 2 }),
        hours_per_week: fc.integer({ min: 10, max: 60 }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['value_chains', 'license_term_years', 'objects', 'kpis', 'environment', 'infrastructure'] },
) satisfies fc.Arbitrary<QuestionnaireInput>;

/** `check` holds for the quote of each of `runs` generated questionnaires (fast-check shrinks a failing one). */
export function forEveryQuote(runs: number, check: (quote: Quote, input: QuestionnaireInput) => void): void {
  fc.assert(
    fc.property(questionnaireArb, (input) => {
      check(quoteFor(input), input);
    }),
    { numRuns: runs },
  );
}
