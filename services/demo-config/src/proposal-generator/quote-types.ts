// The quote: what the proposal generator computes from a questionnaire and a
// price book, and the only input the document renderers read. Every amount is
// in integer cents (USD) here; the HTTP layer writes dollars with two decimals.
// This file is the contract between the generator and the renderers: change it
// in both places at once.

/** Integer cents. */
export type Cents = number;

export interface CentsRange {
  readonly min: Cents;
  readonly max: Cents;
}

export interface HoursRange {
  readonly min: number;
  readonly max: number;
}

export interface MonthlyAnnual {
  readonly monthly: Cents;
  readonly annual: Cents;
}

export interface QuoteLicensing {
  readonly value_chains: readonly string[];
  readonly term_years: 1 | 3 | 5;
  readonly annual_rate_per_chain: Cents;
  readonly annual_total: Cents;
  readonly term_total: Cents;
}

export interface DataIntegrationLine {
  readonly object: string;
  readonly source_system: string;
  readonly integration: string;
  /** Fixed-price lines only; a T&M line has hours 0 and cost 0 here and appears in tm_items. */
  readonly hours: number;
  readonly cost: Cents;
}

export interface KpiLine {
  readonly code: string;
  readonly name: string;
  readonly complexity: string;
  readonly hours: number;
  readonly cost: Cents;
}

export interface EnvironmentLine {
  readonly platform: string;
  /** A number when estimated (priced here), a range when T&M (priced in tm_items), 0 for `none`. */
  readonly cloud_architect_hours: number | HoursRange;
  readonly cost: Cents;
}

export interface TmItem {
  readonly description: string;
  readonly hours: HoursRange;
  readonly rate: Cents;
  readonly cost: CentsRange;
}

export interface QuoteImplementation {
  readonly data_integration: readonly DataIntegrationLine[];
  readonly kpi_implementation: readonly KpiLine[];
  readonly environment: EnvironmentLine;
  readonly tm_items: readonly TmItem[];
  readonly fixed_total: Cents;
  readonly tm_range: CentsRange;
  readonly total: CentsRange;
}

export interface QuoteInfrastructure {
  readonly compute: MonthlyAnnual;
  readonly storage: MonthlyAnnual;
  readonly network: MonthlyAnnual;
  readonly total: MonthlyAnnual;
}

export interface QuoteManagedServices {
  readonly retainer: boolean;
  readonly additional_hours: number;
  readonly additional_cost: Cents;
  readonly annual_total: Cents;
}

export interface QuoteTotals {
  readonly year1: CentsRange;
  readonly yearly_recurring: Cents;
  readonly term_total: CentsRange;
}

export type PhaseId = 'environment_setup' | 'data_integration' | 'kpi_implementation' | 'testing_uat' | 'go_live';

/** Weeks of the schedule, 1-based and inclusive. */
export interface WeekSpan {
  readonly start_week: number;
  readonly end_week: number;
}

/** ISO calendar dates (YYYY-MM-DD), inclusive. */
export interface DateSpan {
  readonly start_date: string;
  readonly end_date: string;
}

export interface SchedulePhase extends WeekSpan, DateSpan {
  readonly id: PhaseId;
  readonly name: string;
  readonly depends_on: readonly PhaseId[];
  readonly critical: boolean;
}

export interface ScheduleRole extends WeekSpan {
  readonly role: string;
  readonly hours: number;
  /** Cents per hour; 0 where the reference says "included". */
  readonly rate: Cents;
}

export interface QuoteSchedule extends DateSpan {
  readonly total_weeks: number;
  readonly phases: readonly SchedulePhase[];
  readonly roles: readonly ScheduleRole[];
}

export interface Quote {
  readonly licensing: QuoteLicensing;
  readonly implementation: QuoteImplementation;
  readonly infrastructure: QuoteInfrastructure;
  readonly managed_services: QuoteManagedServices;
  readonly totals: QuoteTotals;
  readonly schedule: QuoteSchedule;
  /** ISO calendar date: the quote date plus the price book's validity days. */
  readonly quoted_on: string;
  readonly valid_until: string;
  readonly price_book: { readonly version: string };
}
