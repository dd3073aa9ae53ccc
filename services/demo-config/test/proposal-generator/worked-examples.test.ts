// Every worked example of shared/reference/proposal-pricing.md, to the cent,
// through the whole path a quote takes (questionnaire schema -> generateQuote).
import { describe, expect, it } from 'vitest';
import { termBreakdown } from '../../src/proposal-generator/generate-quote.js';
import { questionnaireExample } from '../../src/proposal-generator/questionnaire-schema.js';
import { quoteToJson } from '../../src/proposal-generator/quote-json.js';
import { minimal, quoteFor, referenceInfrastructure } from './support.js';

describe('section 1: licensing', () => {
  it('SCOR + CRM on 3 years = 2 x $32,500 = $65,000 a year, $195,000 over the term', () => {
    const { licensing } = quoteFor(minimal);
    expect(licensing).toEqual({
      value_chains: ['SCOR', 'CRM'],
      term_years: 3,
      annual_rate_per_chain: 3_250_000,
      annual_total: 6_500_000,
      term_total: 19_500_000,
    });
  });

  it.each([
    [1, 3_500_000],
    [3, 3_250_000],
    [5, 3_000_000],
  ] as const)('a %i-year term is priced per chain per year at %i cents', (term, rate) => {
    const { licensing } = quoteFor({ ...minimal, value_chains: ['SCOR'], license_term_years: term });
    expect(licensing.annual_rate_per_chain).toBe(rate);
    expect(licensing.term_total).toBe(rate * term);
  });
});

describe('section 2: implementation', () => {
  it.each([
    ['batch_conformed', 15, 150_000],
    ['batch_non_conformed_single', 20, 250_000],
    ['batch_non_conformed_multi', 30, 350_000],
    ['batch_entity_resolution', 30, 350_000],
    ['streaming_api_architected', 20, 250_000],
  ] as const)('an object integrated as %s is %i hours for %i cents', (integration, hours, cost) => {
    const quote = quoteFor({ ...minimal, objects: [{ name: 'Orders', source_system: 'SAP', integration }] });
    expect(quote.implementation.data_integration).toEqual([
      { object: 'Orders', source_system: 'SAP', integration, hours, cost },
    ]);
    expect(quote.implementation.fixed_total).toBe(cost);
    expect(quote.implementation.tm_items).toEqual([]);
  });

  it.each([
    ['otb', 0.5, 5_000],
    ['custom_basic', 0.5, 5_000],
    ['rbac', 1, 10_000],
  ] as const)('a %s KPI is %f hours for %i cents', (complexity, hours, cost) => {
    const quote = quoteFor({ ...minimal, kpis: [{ code: 'K1', name: 'KPI', complexity }] });
    expect(quote.implementation.kpi_implementation).toEqual([{ code: 'K1', name: 'KPI', complexity, hours, cost }]);
    expect(quote.implementation.total).toEqual({ min: cost, max: cost });
  });

  it('T&M: non-architected API 40-60 h = $7,000-10,500; dynamic RBAC 20-30 h = $3,500-5,250; $10,500-15,750', () => {
    const quote = quoteFor({
      ...minimal,
      objects: [{ name: 'Events', source_system: 'Carrier API', integration: 'streaming_api_non_architected' }],
      kpis: [{ code: 'COMM', name: 'Sales Commission', complexity: 'dynamic_rbac' }],
    });
    const { implementation } = quote;
    expect(implementation.tm_items.map(({ hours, rate, cost }) => ({ hours, rate, cost }))).toEqual([
      { hours: { min: 40, max: 60 }, rate: 17_500, cost: { min: 700_000, max: 1_050_000 } },
      { hours: { min: 20, max: 30 }, rate: 17_500, cost: { min: 350_000, max: 525_000 } },
    ]);
    expect(implementation.tm_range).toEqual({ min: 1_050_000, max: 1_575_000 });
    expect(implementation.fixed_total).toBe(0);
    expect(implementation.total).toEqual({ min: 1_050_000, max: 1_575_000 });
    // The T&M lines stay in their tables with no fixed hours or cost.
    expect(implementation.data_integration[0]).toMatchObject({ hours: 0, cost: 0 });
    expect(implementation.kpi_implementation[0]).toMatchObject({ hours: 0, cost: 0 });
  });

  it('environment setup: a Cloud Architect on T&M at $175/h, 40 to 80 hours; "none" is $0', () => {
    const aws = quoteFor({ ...minimal, environment: { platform: 'aws' } }).implementation;
    expect(aws.environment).toEqual({ platform: 'aws', cloud_architect_hours: { min: 40, max: 80 }, cost: 0 });
    expect(aws.tm_items).toEqual([
      {
        description: 'Cloud Architect: environment setup (AWS)',
        hours: { min: 40, max: 80 },
        rate: 17_500,
        cost: { min: 700_000, max: 1_400_000 },
      },
    ]);
    const estimated = quoteFor({ ...minimal, environment: { platform: 'azure', cloud_architect_hours: 60 } });
    const environment = { platform: 'azure', cloud_architect_hours: 60, cost: 1_050_000 };
    expect(estimated.implementation.environment).toEqual(environment);
    expect(estimated.implementation.fixed_total).toBe(1_050_000);
    expect(estimated.implementation.tm_items).toEqual([]);
    const none = quoteFor(minimal).implementation;
    expect(none.environment).toEqual({ platform: 'none', cloud_architect_hours: 0, cost: 0 });
    expect(none.total).toEqual({ min: 0, max: 0 });
  });
});

describe('section 3: infrastructure', () => {
  it('2/6/6 instances, 500 GB hot, 2,000 GB cold, Redis, 1,000 GB transfer = $1,860 a month, $22,320 a year', () => {
    const { infrastructure } = quoteFor({ ...minimal, infrastructure: referenceInfrastructure });
    expect(infrastructure).toEqual({
      compute: { monthly: 160_000, annual: 1_920_000 },
      storage: { monthly: 17_000, annual: 204_000 },
      network: { monthly: 9_000, annual: 108_000 },
      total: { monthly: 186_000, annual: 2_232_000 },
    });
  });

  it('333 GB of hot storage is exactly $33.30 a month (no float drift)', () => {
    const quote = quoteFor({ ...minimal, infrastructure: { hot_storage_gb: 333 } });
    expect(quote.infrastructure.storage.monthly).toBe(3330);
    expect(quoteToJson(quote).infrastructure.storage.monthly).toBe(33.3);
  });
});

describe('section 4: managed services', () => {
  it('retainer + 50 additional hours = $5,000 + $3,750 = $8,750 a year', () => {
    const quote = quoteFor({ ...minimal, managed_services: { retainer: true, additional_hours_per_year: 50 } });
    expect(quote.managed_services).toEqual({
      retainer: true,
      additional_hours: 50,
      additional_cost: 375_000,
      annual_total: 875_000,
    });
  });

  it('no retainer and no hours costs nothing', () => {
    expect(quoteFor(minimal).managed_services.annual_total).toBe(0);
  });
});

describe('section 5: totals', () => {
  const quote = quoteFor({
    ...minimal,
    objects: [{ name: 'Events', source_system: 'Carrier API', integration: 'streaming_api_non_architected' }],
    kpis: [{ code: 'COMM', name: 'Sales Commission', complexity: 'dynamic_rbac' }],
    infrastructure: referenceInfrastructure,
    managed_services: { retainer: true, additional_hours_per_year: 50 },
  });

  it('2 chains on 3 years, infrastructure $22,320, managed $8,750: yearly recurring $96,070', () => {
    expect(quote.totals.yearly_recurring).toBe(9_607_000);
  });

  it('year 1 adds the implementation range; the term total adds (term - 1) x yearly recurring', () => {
    expect(quote.totals.year1).toEqual({ min: 9_607_000 + 1_050_000, max: 9_607_000 + 1_575_000 });
    expect(quote.totals.term_total).toEqual({ min: 3 * 9_607_000 + 1_050_000, max: 3 * 9_607_000 + 1_575_000 });
  });

  it("the proposal's breakdown over the term adds up to the term total's upper bound", () => {
    expect(termBreakdown(quote)).toEqual({
      licensing: 19_500_000,
      implementation: 1_575_000,
      infrastructure: 3 * 2_232_000,
      managed_services: 3 * 875_000,
      total: quote.totals.term_total.max,
    });
  });

  it('a proposal is valid for 30 days from its date', () => {
    expect(quote.quoted_on).toBe('2026-12-03');
    expect(quote.valid_until).toBe('2027-01-02');
  });
});

describe("the questionnaire's example (the SCOR + CRM three-year case)", () => {
  const quote = quoteFor(questionnaireExample);

  it('prices the reference figures', () => {
    expect(quote.licensing.annual_total).toBe(6_500_000);
    expect(quote.licensing.term_total).toBe(19_500_000);
    expect(quote.infrastructure.total.annual).toBe(2_232_000);
    expect(quote.managed_services.annual_total).toBe(875_000);
    expect(quote.totals.yearly_recurring).toBe(9_607_000);
  });

  it("reproduces section 6's ten-week sample: setup 1-2, integration 2-6, KPIs 4-8, testing 7-9, go-live 10", () => {
    expect(quote.schedule.phases.map((phase) => [phase.id, phase.start_week, phase.end_week])).toEqual([
      ['environment_setup', 1, 2],
      ['data_integration', 2, 6],
      ['kpi_implementation', 4, 8],
      ['testing_uat', 7, 9],
      ['go_live', 10, 10],
    ]);
    expect(quote.schedule.total_weeks).toBe(10);
  });
});
