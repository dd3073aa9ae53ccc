// The quote as the API writes it: every amount in dollars (a JSON number with at
// most two decimals), everything else as in quote-types.ts. quoteFromJson turns a
// stored JSON quote back into cents for the renderers; the two are exact inverses.
import { z } from 'zod';
import { centsToDollars, dollarsToCents } from './money.js';
import type { Cents, CentsRange, MonthlyAnnual, Quote } from './quote-types.js';

const usd = (description: string) => z.number().describe(`${description}, USD (at most two decimals)`);
const usdRange = (description: string) =>
  z.object({ min: usd('Lower bound'), max: usd('Upper bound') }).describe(`${description}: a range from T&M items`);
const hoursRange = (description: string) =>
  z.object({ min: z.number().describe('Fewest hours'), max: z.number().describe('Most hours') }).describe(description);
const monthlyAnnual = (description: string) =>
  z.object({ monthly: usd('Per month'), annual: usd('Per year (12 months)') }).describe(description);
const isoDate = (description: string) => z.string().describe(`${description} (YYYY-MM-DD)`);
/** Lines of fixed-price work: what each is, then its hours and price (both 0 on a T&M line, priced in tm_items). */
const pricedLines = <const Shape extends z.ZodRawShape>(shape: Shape, description: string) =>
  z
    .array(
      z.object({
        ...shape,
        hours: z.number().describe('Hours; 0 for a T&M line (priced in tm_items)'),
        cost: usd('Fixed price; 0 for a T&M line'),
      }),
    )
    .describe(description);
const phaseId = z.enum(['environment_setup', 'data_integration', 'kpi_implementation', 'testing_uat', 'go_live']);

export const quoteJsonSchema = z
  .object({
    licensing: z
      .object({
        value_chains: z.array(z.string()).describe('The value chains licensed'),
        term_years: z.literal([1, 3, 5]).describe('Licence term in years'),
        annual_rate_per_chain: usd('Licence per value chain per year'),
        annual_total: usd('Licence per year: chains x rate'),
        term_total: usd('Licence over the term: annual x years'),
      })
      .describe('1. Licensing'),
    implementation: z
      .object({
        data_integration: pricedLines(
          {
            object: z.string().describe('Object model'),
            source_system: z.string().describe('Its source system'),
            integration: z.string().describe('Integration type'),
          },
          'Data integration, one line per object model',
        ),
        kpi_implementation: pricedLines(
          {
            code: z.string().describe('KPI code'),
            name: z.string().describe('KPI name'),
            complexity: z.string().describe('Complexity'),
          },
          'KPI implementation, one line per KPI',
        ),
        environment: z
          .object({
            platform: z.string().describe('Environment platform'),
            cloud_architect_hours: z
              .union([z.number(), hoursRange('T&M range, priced in tm_items')])
              .describe('A number when estimated (priced here), a range when T&M, 0 for none'),
            cost: usd('Environment setup priced here (estimated hours); 0 when T&M or none'),
          })
          .describe('Environment setup'),
        tm_items: z
          .array(
            z.object({
              description: z.string().describe('What the T&M work is'),
              hours: hoursRange('Estimated hours'),
              rate: usd('Per hour'),
              cost: usdRange('Hours x rate'),
            }),
          )
          .describe('Time-and-materials items'),
        fixed_total: usd('Fixed-price implementation'),
        tm_range: usdRange('All T&M items'),
        total: usdRange('Implementation: fixed + T&M'),
      })
      .describe('2. Implementation (one-time)'),
    infrastructure: z
      .object({
        compute: monthlyAnnual('Compute instances'),
        storage: monthlyAnnual('Hot and cold storage and Redis'),
        network: monthlyAnnual('Data transfer'),
        total: monthlyAnnual('All infrastructure'),
      })
      .describe('3. Infrastructure (recurring)'),
    managed_services: z
      .object({
        retainer: z.boolean().describe('Support retainer taken'),
        additional_hours: z.number().describe('Additional hours per year'),
        additional_cost: usd('Additional hours per year'),
        annual_total: usd('Managed services per year'),
      })
      .describe('4. Managed services (recurring, annual)'),
    totals: z
      .object({
        year1: usdRange('Year 1: licence + implementation + infrastructure + managed services'),
        yearly_recurring: usd('Each later year: licence + infrastructure + managed services'),
        term_total: usdRange('Year 1 + (term - 1) x yearly recurring'),
      })
      .describe('5. Totals'),
    schedule: z
      .object({
        start_date: isoDate('First day'),
        end_date: isoDate('Go-live Friday'),
        total_weeks: z.int().describe('Weeks from start to go-live'),
        phases: z
          .array(
            z.object({
              id: phaseId.describe('Phase id'),
              name: z.string().describe('Phase name'),
              start_week: z.int().describe('First week, 1-based'),
              end_week: z.int().describe('Last week, inclusive'),
              start_date: isoDate('First day'),
              end_date: isoDate('Friday of the last week'),
              depends_on: z.array(phaseId).describe('Phases this one follows'),
              critical: z.boolean().describe('On the critical path: one more week of its work moves go-live'),
            }),
          )
          .describe('Phases in order'),
        roles: z
          .array(
            z.object({
              role: z.string().describe('Role'),
              hours: z.number().describe('Hours (T&M at the top of the range)'),
              rate: usd('Per hour; 0 where included or fixed price'),
              start_week: z.int().describe('First week'),
              end_week: z.int().describe('Last week'),
            }),
          )
          .describe('Roles and their weeks'),
      })
      .describe('6. Resource schedule'),
    quoted_on: isoDate('Quote date'),
    valid_until: isoDate('Quote date + validity days'),
    price_book: z.object({ version: z.string().describe('Price-book version') }).describe('The rates used'),
  })
  .describe('A priced, scheduled quote; amounts in USD');

export type QuoteJson = z.output<typeof quoteJsonSchema>;

type Convert = (amount: number) => number;
const range = (value: CentsRange, convert: Convert) => ({ min: convert(value.min), max: convert(value.max) });
const perPeriod = (value: MonthlyAnnual, convert: Convert) => ({
  monthly: convert(value.monthly),
  annual: convert(value.annual),
});

/** The one mapping both ways go through, so a new amount cannot be converted one way only. */
function convertQuote(quote: Quote | QuoteJson, convert: Convert): QuoteJson {
  const { licensing, implementation: work, infrastructure, managed_services: managed, totals, schedule } = quote;
  const hours = work.environment.cloud_architect_hours;
  return {
    licensing: {
      value_chains: [...licensing.value_chains],
      term_years: licensing.term_years,
      annual_rate_per_chain: convert(licensing.annual_rate_per_chain),
      annual_total: convert(licensing.annual_total),
      term_total: convert(licensing.term_total),
    },
    implementation: {
      // Literals of one shape, no spreads: thousands of lines per quote.
      data_integration: work.data_integration.map(({ object, source_system, integration, hours, cost }) => ({
        object,
        source_system,
        integration,
        hours,
        cost: convert(cost),
      })),
      kpi_implementation: work.kpi_implementation.map(({ code, name, complexity, hours, cost }) => ({
        code,
        name,
        complexity,
        hours,
        cost: convert(cost),
      })),
      environment: {
        platform: work.environment.platform,
        cloud_architect_hours: typeof hours === 'number' ? hours : { min: hours.min, max: hours.max },
        cost: convert(work.environment.cost),
      },
      tm_items: work.tm_items.map((item) => ({
        description: item.description,
        hours: { min: item.hours.min, max: item.hours.max },
        rate: convert(item.rate),
        cost: range(item.cost, convert),
      })),
      fixed_total: convert(work.fixed_total),
      tm_range: range(work.tm_range, convert),
      total: range(work.total, convert),
    },
    infrastructure: {
      compute: perPeriod(infrastructure.compute, convert),
      storage: perPeriod(infrastructure.storage, convert),
      network: perPeriod(infrastructure.network, convert),
      total: perPeriod(infrastructure.total, convert),
    },
    managed_services: {
      retainer: managed.retainer,
      additional_hours: managed.additional_hours,
      additional_cost: convert(managed.additional_cost),
      annual_total: convert(managed.annual_total),
    },
    totals: {
      year1: range(totals.year1, convert),
      yearly_recurring: convert(totals.yearly_recurring),
      term_total: range(totals.term_total, convert),
    },
    schedule: {
      start_date: schedule.start_date,
      end_date: schedule.end_date,
      total_weeks: schedule.total_weeks,
      phases: schedule.phases.map((phase) => ({
        id: phase.id,
        name: phase.name,
        start_week: phase.start_week,
        end_week: phase.end_week,
        start_date: phase.start_date,
        end_date: phase.end_date,
        depends_on: [...phase.depends_on],
        critical: phase.critical,
      })),
      roles: schedule.roles.map(({ role, hours, rate, start_week, end_week }) => ({
        role,
        hours,
        rate: convert(rate),
        start_week,
        end_week,
      })),
    },
    quoted_on: quote.quoted_on,
    valid_until: quote.valid_until,
    price_book: { version: quote.price_book.version },
  };
}

/** Cents to the API's dollars. */
export function quoteToJson(quote: Quote): QuoteJson {
  return convertQuote(quote, (cents: Cents) => centsToDollars(cents));
}

/** The API's dollars (a stored quote) back to cents. */
export function quoteFromJson(json: QuoteJson): Quote {
  return convertQuote(json, dollarsToCents);
}
