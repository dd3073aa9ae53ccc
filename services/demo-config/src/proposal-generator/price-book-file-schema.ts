// The price-book FILE format (PRICE_BOOK_FILE, JSON or YAML; GET /demo/price-book):
// amounts in dollars as people write them (35000, 0.10). Every object is strict
// and every member required except `version`, so a typo or a forgotten rate is
// an error at start, never a silent default.
import { z } from 'zod';
import { FIXED_INTEGRATION_TYPES, FIXED_KPI_COMPLEXITIES, SETUP_PLATFORMS } from './catalog.js';
import { hasAtMostTwoDecimals } from './units.js';

/** Large enough for any rate, small enough that cents times any quantity stays a safe integer. */
const MAX_AMOUNT = 1_000_000_000;
const MAX_HOURS = 10_000;

const amount = (description: string) =>
  z
    .number()
    .refine((value) => value >= 0 && hasAtMostTwoDecimals(value), {
      error: 'must be a non-negative amount with at most two decimals',
    })
    .refine((value) => value <= MAX_AMOUNT, { error: 'must be at most 1,000,000,000' })
    .describe(`${description} (USD)`);

const hours = (description: string) =>
  z
    .number()
    .refine((value) => value >= 0 && hasAtMostTwoDecimals(value), {
      error: 'must be a non-negative number of hours with at most two decimals',
    })
    .refine((value) => value <= MAX_HOURS, { error: `must be at most ${MAX_HOURS} hours` })
    .describe(description);

const hoursRange = (description: string) =>
  z
    .strictObject({ min: hours('Fewest hours'), max: hours('Most hours') })
    .refine((range) => range.min <= range.max, { error: 'min must not be above max' })
    .describe(description);

const fixedPrice = (description: string) =>
  z
    .strictObject({
      hours: hours('Hours of work (sizes the schedule)'),
      charge: amount('Fixed price charged to the client'),
    })
    .describe(description);

const byKey = <const K extends readonly string[], S extends z.ZodType>(keys: K, member: (key: K[number]) => S) =>
  z.strictObject(Object.fromEntries(keys.map((key) => [key, member(key)])) as { [P in K[number]]: S });

export const priceBookFileSchema = z
  .strictObject({
    version: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' })
      .optional()
      .describe('Your own version id; absent (or a sha256- value) means the content hash of the rates'),
    currency: z.literal('USD').describe('Currency of every amount'),
    validity_days: z.int().min(1).max(365).describe('Days a proposal stays valid from its date'),
    licensing: z
      .strictObject({
        per_chain_per_year: z
          .strictObject({
            1: amount('Per value chain per year on a 1-year term'),
            3: amount('Per value chain per year on a 3-year term'),
            5: amount('Per value chain per year on a 5-year term'),
          })
          .describe('Annual licence per value chain, by term in years'),
      })
      .describe('Licensing'),
    integration: byKey(FIXED_INTEGRATION_TYPES, (type) => fixedPrice(`Integration type ${type}`)).describe(
      'Fixed-price data integration per object model (the T&M type is under time_and_materials)',
    ),
    kpi: byKey(FIXED_KPI_COMPLEXITIES, (complexity) => fixedPrice(`KPI complexity ${complexity}`)).describe(
      'Fixed-price KPI implementation per KPI (dynamic_rbac is under time_and_materials)',
    ),
    time_and_materials: z
      .strictObject({
        rate_per_hour: amount('Hourly rate of every T&M item; also the Integration and Cloud Architect rate'),
        default_hours: z
          .strictObject({
            streaming_api_non_architected: hoursRange('Default hour range of a non-architected API integration'),
            dynamic_rbac: hoursRange('Default hour range of a dynamic RBAC KPI'),
          })
          .describe('Hour ranges used when the questionnaire gives no tm_hours'),
      })
      .describe('Time and materials'),
    environment: z
      .strictObject({
        access_specialist_hours: hours('Access Specialist hours of a setup (included: not charged)'),
        platforms: byKey(SETUP_PLATFORMS, (platform) =>
          z
            .strictObject({ cloud_architect_hours: hoursRange('Default Cloud Architect T&M hour range') })
            .describe(`Environment setup on ${platform}`),
        ).describe('Platforms that need a setup; "none" costs nothing and is not listed'),
      })
      .describe('Environment setup'),
    infrastructure: z
      .strictObject({
        api_gateway_instance_per_month: amount('API gateway instance (t3.medium) per month'),
        business_service_instance_per_month: amount('Business service instance (t3.large) per month'),
        backend_service_instance_per_month: amount('Backend service instance (t3.xlarge) per month'),
        hot_storage_per_gb_month: amount('Active database storage per GB per month'),
        cold_storage_per_gb_month: amount('Archived data per GB per month'),
        redis_node_per_month: amount('Redis node (cache.m5.large) per month'),
        data_transfer_per_gb: amount('Data transfer per GB'),
      })
      .describe('Infrastructure unit prices'),
    managed_services: z
      .strictObject({
        retainer_per_year: amount('Support retainer per year'),
        retainer_hours: hours('Hours the retainer covers (shown, not priced)'),
        hourly_rate: amount('Additional managed-services hours'),
      })
      .describe('Managed services'),
    internal_cost: z
      .strictObject({
        integration_developer_per_hour: amount('Internal cost of an Integration Developer; never shown to clients'),
      })
      .describe('Margin figures for the seller'),
  })
  .describe('A price book: every rate the proposal generator uses');

export type PriceBookFile = z.output<typeof priceBookFileSchema>;
