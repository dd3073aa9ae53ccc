// generateQuote beyond the worked examples: value chains and their error, dates
// and validity, the schedule's shape, roles, critical path and calendar, the
// infrastructure sizing model, and purity (no clock).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateQuote, implementationHours, NoValueChainsError } from '../../src/proposal-generator/generate-quote.js';
import { infrastructureQuantities } from '../../src/proposal-generator/infrastructure-sizing.js';
import { defaultPriceBook } from '../../src/proposal-generator/price-book.js';
import { questionnaireExample, type QuestionnaireInput } from '../../src/proposal-generator/questionnaire-schema.js';
import { minimal, parse, quoteFor, TODAY } from './support.js';

const batch = (n: number, integration = 'batch_non_conformed_single' as const) =>
  Array.from({ length: n }, (_, i) => ({ name: `Object ${i}`, source_system: 'SAP', integration }));

describe('value chains', () => {
  const withoutChains = { ...minimal, value_chains: undefined };

  it("default to the client's modules, each once", () => {
    const quote = generateQuote(parse(withoutChains), defaultPriceBook, {
      today: TODAY,
      clientModules: ['SCOR', 'CRM', 'SCOR', 'Sales Analytics'],
    });
    expect(quote.licensing.value_chains).toEqual(['SCOR', 'CRM', 'Sales Analytics']);
    expect(quote.licensing.annual_total).toBe(3 * 3_250_000);
  });

  it("given ones win over the client's modules", () => {
    const options = { today: TODAY, clientModules: ['Financial Analytics'] };
    const quote = generateQuote(parse(minimal), defaultPriceBook, options);
    expect(quote.licensing.value_chains).toEqual(['SCOR', 'CRM']);
  });

  it.each([undefined, [], ['  ']])('neither given nor in the client modules (%j): NoValueChainsError', (modules) => {
    const run = () => generateQuote(parse(withoutChains), defaultPriceBook, { today: TODAY, clientModules: modules });
    expect(run).toThrow(NoValueChainsError);
    expect(run).toThrow(expect.objectContaining({ code: 'NO_VALUE_CHAINS' }));
  });
});

describe('dates', () => {
  it('quoted_on is today, valid_until 30 days later, the start the next Monday', () => {
    const quote = quoteFor(minimal, defaultPriceBook, '2026-12-03');
    const dates = [quote.quoted_on, quote.valid_until, quote.schedule.start_date];
    expect(dates).toEqual(['2026-12-03', '2027-01-02', '2026-12-07']);
  });

  it('a quote made on a Monday starts the Monday after', () => {
    expect(quoteFor(minimal, defaultPriceBook, '2026-12-07').schedule.start_date).toBe('2026-12-14');
  });

  it('a leap day and a year end are calendar arithmetic, not 30-day months', () => {
    expect(quoteFor(minimal, defaultPriceBook, '2028-02-15').valid_until).toBe('2028-03-16');
    expect(quoteFor(minimal, defaultPriceBook, '2027-12-31').schedule.start_date).toBe('2028-01-03');
  });

  it('weeks are Monday-based: a Wednesday start begins week 1, later weeks Mondays, phases end Fridays', () => {
    const quote = quoteFor({ ...minimal, start_date: '2027-01-06' });
    const [integration, kpi] = quote.schedule.phases;
    expect(integration).toMatchObject({ start_week: 1, start_date: '2027-01-06', end_week: 1, end_date: '2027-01-08' });
    expect(kpi).toMatchObject({ start_week: 1, start_date: '2027-01-06', end_week: 3, end_date: '2027-01-22' });
    expect(quote.schedule.end_date).toBe(quote.schedule.phases.at(-1)?.end_date);
  });

  it('an invalid today is a programming error, thrown', () => {
    expect(() => generateQuote(parse(minimal), defaultPriceBook, { today: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateQuote(parse(minimal), defaultPriceBook, { today: '03/12/2026' })).toThrow(RangeError);
  });

  it('reads no clock: the same answer whatever the system time', () => {
    const input = parse(questionnaireExample);
    const first = generateQuote(input, defaultPriceBook, { today: TODAY });
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-06-15T12:00:00Z'));
    expect(generateQuote(input, defaultPriceBook, { today: TODAY })).toEqual(first);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
});

describe('schedule', () => {
  const phases = (input: QuestionnaireInput) =>
    quoteFor(input).schedule.phases.map((phase) => `${phase.id} ${phase.start_week}-${phase.end_week}`);

  it('without an environment setup integration starts in week 1 and there is no setup phase', () => {
    const quote = quoteFor({ ...minimal, objects: batch(10) });
    expect(quote.schedule.phases[0]).toMatchObject({ id: 'data_integration', start_week: 1, depends_on: [] });
    expect(quote.schedule.phases.map((phase) => phase.id)).not.toContain('environment_setup');
    expect(quote.schedule.roles.map((role) => role.role)).toEqual(['Integration Developer / Analyst']);
  });

  it('integration is hours over developers: 10 objects of 20 h at 40 h a week, 5 weeks; 2 developers, 3', () => {
    expect(phases({ ...minimal, objects: batch(10) })[0]).toBe('data_integration 1-5');
    const two = { ...minimal, objects: batch(10), team: { integration_developers: 2 } };
    expect(phases(two)[0]).toBe('data_integration 1-3');
    expect(phases({ ...minimal, objects: batch(10), team: { hours_per_week: 20 } })[0]).toBe('data_integration 1-10');
  });

  it('KPI work starts two fifths into integration and ends at least two weeks after it', () => {
    expect(phases({ ...minimal, objects: batch(10) })).toEqual([
      'data_integration 1-5',
      'kpi_implementation 3-7',
      'testing_uat 6-7',
      'go_live 8-8',
    ]);
  });

  const kpis = (n: number, complexity: 'rbac' | 'dynamic_rbac') =>
    Array.from({ length: n }, (_, i) => ({ code: `K${i}`, name: `KPI ${i}`, complexity }));
  const critical = (input: QuestionnaireInput) =>
    Object.fromEntries(quoteFor(input).schedule.phases.map((phase) => [phase.id, phase.critical]));

  it("the architect's KPI work makes the KPI phase the long, critical one; integration then has float", () => {
    const input = { ...minimal, objects: batch(2), kpis: kpis(10, 'dynamic_rbac') };
    expect(phases(input).slice(0, 2)).toEqual(['data_integration 1-1', 'kpi_implementation 1-8']);
    expect(critical(input)).toMatchObject({ data_integration: false, kpi_implementation: true });
  });

  it('when the developers carry both phases, more of either moves go-live: both are critical', () => {
    const input = { ...minimal, objects: batch(2), kpis: kpis(400, 'rbac') };
    expect(phases(input).slice(0, 2)).toEqual(['data_integration 1-1', 'kpi_implementation 1-11']);
    expect(critical(input)).toMatchObject({ data_integration: true, kpi_implementation: true });
  });

  it("marks the sample's critical path: KPI work there has float (it waits on integration)", () => {
    const quote = quoteFor(questionnaireExample);
    expect(quote.schedule.phases.map((phase) => [phase.id, phase.critical, phase.depends_on])).toEqual([
      ['environment_setup', true, []],
      ['data_integration', true, ['environment_setup']],
      ['kpi_implementation', false, ['data_integration']],
      ['testing_uat', true, ['data_integration', 'kpi_implementation']],
      ['go_live', true, ['testing_uat']],
    ]);
  });

  it("roles: who works when, at which rate, T&M at its range's top; the developer's internal cost never shows", () => {
    const quote = quoteFor(questionnaireExample);
    expect(quote.schedule.roles).toEqual([
      { role: 'Access Specialist', hours: 16, rate: 0, start_week: 1, end_week: 2 },
      { role: 'Cloud Architect', hours: 80, rate: 17_500, start_week: 1, end_week: 2 },
      { role: 'Integration Developer / Analyst', hours: 184, rate: 0, start_week: 2, end_week: 8 },
      { role: 'Integration Architect', hours: 90, rate: 17_500, start_week: 2, end_week: 8 },
    ]);
    expect(JSON.stringify(quote)).not.toMatch(/[:,[]7000[,\]}]/);
  });

  it('an Integration Architect only with T&M work, on the phases that have it', () => {
    const environment = { platform: 'azure', cloud_architect_hours: 40 } as const;
    const noTm = quoteFor({ ...minimal, objects: batch(3), environment });
    expect(noTm.schedule.roles.map((role) => role.role)).toEqual([
      'Access Specialist',
      'Cloud Architect',
      'Integration Developer / Analyst',
    ]);
    const kpiTm = quoteFor({ ...minimal, kpis: [{ code: 'C', name: 'Commission', complexity: 'dynamic_rbac' }] });
    const kpiPhase = kpiTm.schedule.phases.find((phase) => phase.id === 'kpi_implementation');
    const weeks = { start_week: kpiPhase?.start_week, end_week: kpiPhase?.end_week };
    expect(kpiTm.schedule.roles).toEqual([{ role: 'Integration Architect', hours: 30, rate: 17_500, ...weeks }]);
  });

  it('a bigger Cloud Architect estimate lengthens the setup, and more cloud architects shorten it', () => {
    const range = { platform: 'oracle', cloud_architect_hours: { min: 100, max: 160 } } as const;
    expect(phases({ ...minimal, environment: range })[0]).toBe('environment_setup 1-4');
    const estimate = { platform: 'oracle', cloud_architect_hours: 160 } as const;
    const team = { cloud_architects: 2 };
    expect(phases({ ...minimal, environment: estimate, team })[0]).toBe('environment_setup 1-2');
  });
});

describe('implementation hours', () => {
  it('adds the fixed lines, an estimated setup and the T&M ranges', () => {
    const expected = { min: 184 + 40 + 40 + 20, max: 184 + 80 + 60 + 30 };
    expect(implementationHours(quoteFor(questionnaireExample))).toEqual(expected);
    const environment = { platform: 'gcp', cloud_architect_hours: 50.5 } as const;
    const estimated = quoteFor({ ...minimal, objects: batch(1), environment });
    expect(implementationHours(estimated)).toEqual({ min: 70.5, max: 70.5 });
  });

  it('sums half hours exactly', () => {
    const kpis = Array.from({ length: 333 }, (_, i) => ({ code: `K${i}`, name: 'KPI', complexity: 'otb' as const }));
    expect(implementationHours(quoteFor({ ...minimal, kpis }))).toEqual({ min: 166.5, max: 166.5 });
  });
});

describe('infrastructure sizing', () => {
  type Infrastructure = QuestionnaireInput['infrastructure'];
  type Retention = QuestionnaireInput['retention'];
  const size = (infrastructure: Infrastructure, retention: Retention = {}, kpis = 20) => {
    const parsed = parse({ ...minimal, infrastructure, retention });
    return infrastructureQuantities(parsed.infrastructure, parsed.retention, kpis);
  };

  it('100 GB a day, 500 users, hourly, 20 KPIs, 30/90 days, 1 year: 2/6/6 instances as in the reference', () => {
    const sizing = { daily_ingest_gb: 100, concurrent_users: 500, refresh_period: 'hour' } as const;
    expect(size(sizing, { staged_days: 30, analytics_days: 90 })).toEqual({
      api_gateway_instances: 2,
      business_service_instances: 6,
      backend_service_instances: 6,
      hot_storage_gb: 100 * 30 + (100 * 90) / 4,
      cold_storage_gb: (100 * 365) / 2,
      redis: 1,
      data_transfer_gb_per_month: 300 + 500,
    });
  });

  it('the compliance presets set the archive: SOX 7 years, HIPAA 6, indefinite priced as 10', () => {
    const cold = (retention: QuestionnaireInput['retention']) =>
      size({ daily_ingest_gb: 2, concurrent_users: 10 }, retention).cold_storage_gb;
    const presets = [{}, { preset: 'hipaa' }, { preset: 'sox' }, { archive_years: 'indefinite' }] as const;
    expect(presets.map(cold)).toEqual([365, 6 * 365, 7 * 365, 10 * 365]);
  });

  it('fractions of a GB do not drift: 0.1 GB a day for 30 staged days is 3 GB', () => {
    const retention = { staged_days: 30, analytics_days: 0, archive_years: 0 };
    const quantities = size({ daily_ingest_gb: 0.1, concurrent_users: 0 }, retention);
    expect(quantities.hot_storage_gb).toBe(3);
    expect(quantities.cold_storage_gb).toBe(0);
  });

  it('a faster refresh needs more backend capacity; the sized quantities are priced', () => {
    const backend = (refresh_period: 'minute' | 'hour' | 'day') =>
      size({ daily_ingest_gb: 100, concurrent_users: 500, refresh_period }).backend_service_instances;
    expect([backend('day'), backend('hour'), backend('minute')]).toEqual([4, 6, 11]);
    const quote = quoteFor({ ...minimal, infrastructure: { daily_ingest_gb: 100, concurrent_users: 500 } });
    expect(quote.infrastructure.compute.monthly).toBe(2 * 5_000 + 5 * 10_000 + 5 * 15_000);
  });
});
