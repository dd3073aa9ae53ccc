// The proposal generator: questionnaire + price book + the quote date -> quote.
// Pure: no clock (today is an input), no I/O, integer cents throughout, the same
// answer for the same input. Totals follow the reference's section 5.
import { formatIsoDate, nextMondayAfter, parseIsoDate } from './calendar.js';
import { priceImplementation } from './implementation-pricing.js';
import { infrastructureQuantities } from './infrastructure-sizing.js';
import type { PriceBook } from './price-book.js';
import type { Questionnaire } from './questionnaire-schema.js';
import type { Cents, CentsRange, HoursRange, Quote, QuoteTotals } from './quote-types.js';
import { priceInfrastructure, priceLicensing, priceManagedServices } from './recurring-pricing.js';
import { buildSchedule } from './schedule.js';
import { fromHundredths, toHundredths } from './units.js';

export interface GenerateQuoteOptions {
  /** The quote date, YYYY-MM-DD: `quoted_on`, the start of validity and of the default start date. */
  readonly today: string;
  /** The client's modules: the value chains when the questionnaire names none. */
  readonly clientModules?: readonly string[] | undefined;
}

/** Neither the questionnaire nor the client's modules name a value chain: nothing to license. */
export class NoValueChainsError extends Error {
  readonly code = 'NO_VALUE_CHAINS';
  constructor() {
    super('no value chains: the questionnaire gives no value_chains and the client has no modules');
    this.name = 'NoValueChainsError';
  }
}

function valueChains(questionnaire: Questionnaire, clientModules: readonly string[] | undefined): string[] {
  const chains = questionnaire.value_chains ?? [...new Set(clientModules ?? [])].filter((chain) => chain.trim() !== '');
  if (chains.length === 0) throw new NoValueChainsError();
  return chains;
}

const plus = (range: CentsRange, amount: Cents): CentsRange => ({ min: range.min + amount, max: range.max + amount });

export function generateQuote(questionnaire: Questionnaire, book: PriceBook, options: GenerateQuoteOptions): Quote {
  const today = parseIsoDate(options.today);
  const licensing = priceLicensing(
    valueChains(questionnaire, options.clientModules),
    questionnaire.license_term_years,
    book,
  );
  const { implementation, work } = priceImplementation(questionnaire, book);
  const quantities = infrastructureQuantities(
    questionnaire.infrastructure,
    questionnaire.retention,
    questionnaire.kpis.length,
  );
  const infrastructure = priceInfrastructure(quantities, book);
  const managedServices = priceManagedServices(questionnaire.managed_services, book);

  const yearlyRecurring = licensing.annual_total + infrastructure.total.annual + managedServices.annual_total;
  const year1 = plus(implementation.total, yearlyRecurring);
  const totals: QuoteTotals = {
    year1,
    yearly_recurring: yearlyRecurring,
    term_total: plus(year1, (licensing.term_years - 1) * yearlyRecurring),
  };

  const { start_date: startDate } = questionnaire;
  const startDay = startDate === undefined ? nextMondayAfter(today) : parseIsoDate(startDate);
  return {
    licensing,
    implementation,
    infrastructure,
    managed_services: managedServices,
    totals,
    schedule: buildSchedule(work, questionnaire.team, startDay, book.time_and_materials.rate_per_hour),
    quoted_on: formatIsoDate(today),
    valid_until: formatIsoDate(today + book.validity_days),
    price_book: { version: book.version },
  };
}

export interface TermBreakdown {
  readonly licensing: Cents;
  readonly implementation: Cents;
  readonly infrastructure: Cents;
  readonly managed_services: Cents;
  readonly total: Cents;
}

/**
 * The whole term by part, at one end of the T&M range (the proposal's pricing.breakdown uses `max`).
 * The parts add up to `totals.term_total[bound]` exactly.
 */
export function termBreakdown(quote: Quote, bound: 'min' | 'max' = 'max'): TermBreakdown {
  const years = quote.licensing.term_years;
  const parts = {
    licensing: quote.licensing.term_total,
    implementation: quote.implementation.total[bound],
    infrastructure: quote.infrastructure.total.annual * years,
    managed_services: quote.managed_services.annual_total * years,
  };
  return { ...parts, total: parts.licensing + parts.implementation + parts.infrastructure + parts.managed_services };
}

/** Total implementation hours (fixed lines, an estimated environment and the T&M ranges). */
export function implementationHours(quote: Quote): HoursRange {
  const { data_integration, kpi_implementation, environment, tm_items } = quote.implementation;
  const estimate = environment.cloud_architect_hours;
  let fixed = typeof estimate === 'number' ? toHundredths(estimate) : 0;
  for (const line of data_integration) fixed += toHundredths(line.hours);
  for (const line of kpi_implementation) fixed += toHundredths(line.hours);
  let min = fixed;
  let max = fixed;
  for (const item of tm_items) {
    min += toHundredths(item.hours.min);
    max += toHundredths(item.hours.max);
  }
  return { min: fromHundredths(min), max: fromHundredths(max) };
}
