// Hand-made quotes for the document tests and the render bench: the
// reference's SCOR + CRM three-year case (proposal-pricing.md: $96,070 a year
// recurring, year 1 $123,720 - $128,970), and a large one of 50 objects and
// 200 KPIs. Totals are derived from the lines, as the generator derives them.
import type { DocumentInput } from '../../src/documents/document-input.js';
import { fullProposalExample } from '../../src/resource-docs.js';
import type {
  DataIntegrationLine,
  EnvironmentLine,
  KpiLine,
  PhaseId,
  Quote,
  QuoteSchedule,
  ScheduleRole,
  TmItem,
} from '../../src/proposal-generator/quote-types.js';

export const SAMPLE_CLIENT = 'Nordwind Logística Ærø';
export const GREEK_KPI = 'Κύκλος πωλήσεων';
export const CYRILLIC_KPI = 'Конверсия сделок';
export const ACCENTED_KPI = 'Délai de réapprovisionnement';
export const GREEK_OBJECT = 'Αποθέματα';
export const CYRILLIC_OBJECT = 'Заказ на доставку';

const RATE_TM = 17_500;

interface QuoteParts {
  readonly chains: readonly string[];
  readonly term: 1 | 3 | 5;
  readonly objects: readonly DataIntegrationLine[];
  readonly kpis: readonly KpiLine[];
  readonly environment: EnvironmentLine;
  readonly tm: readonly TmItem[];
  readonly infra: { readonly compute: number; readonly storage: number; readonly network: number };
  readonly managed: { readonly retainer: boolean; readonly hours: number };
  readonly schedule: QuoteSchedule;
  readonly date: string;
}

function buildQuote(parts: QuoteParts): Quote {
  const rate = { 1: 3_500_000, 3: 3_250_000, 5: 3_000_000 }[parts.term];
  const annualLicence = rate * parts.chains.length;
  const fixed =
    parts.objects.reduce((sum, line) => sum + line.cost, 0) +
    parts.kpis.reduce((sum, line) => sum + line.cost, 0) +
    parts.environment.cost;
  const tmRange = {
    min: parts.tm.reduce((sum, item) => sum + item.cost.min, 0),
    max: parts.tm.reduce((sum, item) => sum + item.cost.max, 0),
  };
  const implementation = { min: fixed + tmRange.min, max: fixed + tmRange.max };
  const monthly = (cents: number) => ({ monthly: cents, annual: cents * 12 });
  const infraMonthly = parts.infra.compute + parts.infra.storage + parts.infra.network;
  const additional = parts.managed.hours * 7_500;
  const managedAnnual = (parts.managed.retainer ? 500_000 : 0) + additional;
  const recurring = annualLicence + infraMonthly * 12 + managedAnnual;
  const year1 = { min: recurring + implementation.min, max: recurring + implementation.max };
  return {
    licensing: {
      value_chains: parts.chains,
      term_years: parts.term,
      annual_rate_per_chain: rate,
      annual_total: annualLicence,
      term_total: annualLicence * parts.term,
    },
    implementation: {
      data_integration: parts.objects,
      kpi_implementation: parts.kpis,
      environment: parts.environment,
      tm_items: parts.tm,
      fixed_total: fixed,
      tm_range: tmRange,
      total: implementation,
    },
    infrastructure: {
      compute: monthly(parts.infra.compute),
      storage: monthly(parts.infra.storage),
      network: monthly(parts.infra.network),
      total: monthly(infraMonthly),
    },
    managed_services: {
      retainer: parts.managed.retainer,
      additional_hours: parts.managed.hours,
      additional_cost: additional,
      annual_total: managedAnnual,
    },
    totals: {
      year1,
      yearly_recurring: recurring,
      term_total: {
        min: year1.min + (parts.term - 1) * recurring,
        max: year1.max + (parts.term - 1) * recurring,
      },
    },
    schedule: parts.schedule,
    quoted_on: parts.date,
    valid_until: addDays(parts.date, 30),
    price_book: { version: '2025.1' },
  };
}

function tmItem(description: string, min: number, max: number): TmItem {
  return { description, hours: { min, max }, rate: RATE_TM, cost: { min: min * RATE_TM, max: max * RATE_TM } };
}

type PhasePlan = readonly [PhaseId, string, number, number, readonly PhaseId[], boolean];

/** Phases by week; dates from the start Monday, each week Monday to Friday. */
function schedule(
  start: string,
  weeks: number,
  plan: readonly PhasePlan[],
  roles: readonly ScheduleRole[],
): QuoteSchedule {
  const monday = (week: number) => addDays(start, 7 * (week - 1));
  const friday = (week: number) => addDays(start, 7 * (week - 1) + 4);
  return {
    start_date: start,
    end_date: friday(weeks),
    total_weeks: weeks,
    phases: plan.map(([id, name, from, to, dependsOn, critical]) => ({
      id,
      name,
      start_week: from,
      end_week: to,
      start_date: monday(from),
      end_date: friday(to),
      depends_on: dependsOn,
      critical,
    })),
    roles,
  };
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The reference's sample ten-week engagement. */
const TEN_WEEK_PLAN: readonly PhasePlan[] = [
  ['environment_setup', 'Environment setup', 1, 2, [], true],
  ['data_integration', 'Data integration', 2, 6, ['environment_setup'], true],
  ['kpi_implementation', 'KPI implementation', 4, 8, ['data_integration'], false],
  ['testing_uat', 'Testing and UAT', 7, 9, ['data_integration'], true],
  ['go_live', 'Go-live', 10, 10, ['testing_uat', 'kpi_implementation'], true],
];

export function sampleQuote(): Quote {
  return buildQuote({
    chains: ['SCOR', 'CRM'],
    term: 3,
    objects: [
      { object: 'Sales order', source_system: 'SAP S/4HANA', integration: 'batch_conformed', hours: 15, cost: 150_000 },
      {
        object: 'Customer',
        source_system: 'Salesforce',
        integration: 'batch_entity_resolution',
        hours: 30,
        cost: 350_000,
      },
      {
        object: GREEK_OBJECT,
        source_system: 'SAP S/4HANA',
        integration: 'batch_non_conformed_single',
        hours: 20,
        cost: 250_000,
      },
      {
        object: CYRILLIC_OBJECT,
        source_system: 'Carrier API',
        integration: 'streaming_api_architected',
        hours: 20,
        cost: 250_000,
      },
      {
        object: 'Opportunity',
        source_system: 'HubSpot',
        integration: 'streaming_api_non_architected',
        hours: 0,
        cost: 0,
      },
    ],
    kpis: [
      { code: 'SCOR-RL.1.1', name: 'Perfect order fulfillment', complexity: 'otb', hours: 0.5, cost: 5_000 },
      { code: 'SCOR-AM.1.1', name: ACCENTED_KPI, complexity: 'custom_basic', hours: 0.5, cost: 5_000 },
      { code: 'CRM-03', name: GREEK_KPI, complexity: 'otb', hours: 0.5, cost: 5_000 },
      { code: 'CRM-12', name: CYRILLIC_KPI, complexity: 'dynamic_rbac', hours: 0, cost: 0 },
    ],
    environment: { platform: 'aws', cloud_architect_hours: 40, cost: 700_000 },
    tm: [
      tmItem('API non-architected integration: Opportunity (HubSpot)', 40, 60),
      tmItem(`Dynamic RBAC KPIs: ${CYRILLIC_KPI}`, 20, 30),
    ],
    infra: { compute: 160_000, storage: 17_000, network: 9_000 },
    managed: { retainer: true, hours: 50 },
    schedule: schedule('2026-01-05', 10, TEN_WEEK_PLAN, [
      { role: 'Integration Developer / Analyst', hours: 86.5, rate: 7_000, start_week: 2, end_week: 8 },
      { role: 'Integration Architect', hours: 90, rate: RATE_TM, start_week: 2, end_week: 8 },
      { role: 'Access Specialist', hours: 8, rate: 0, start_week: 1, end_week: 1 },
      { role: 'Cloud Architect', hours: 40, rate: RATE_TM, start_week: 1, end_week: 2 },
    ]),
    date: '2025-12-15',
  });
}

const INTEGRATIONS = [
  ['batch_conformed', 15, 150_000],
  ['batch_non_conformed_single', 20, 250_000],
  ['batch_non_conformed_multi', 30, 350_000],
  ['batch_entity_resolution', 30, 350_000],
  ['streaming_api_architected', 20, 250_000],
] as const;
const COMPLEXITIES = [
  ['otb', 0.5, 5_000],
  ['custom_basic', 0.5, 5_000],
  ['rbac', 1, 10_000],
] as const;
const SOURCES = ['SAP S/4HANA', 'Salesforce', 'Oracle EBS', 'Snowflake', 'Kafka'];
const NAME_FLAVOURS = ['Inventory', 'Αποθέματα', 'Поставка', 'Société', 'Lieferschein'];

/** 50 objects, 200 KPIs, four value chains on five years: the bench's and the pagination tests' quote. */
export function largeQuote(): Quote {
  const objects = Array.from({ length: 50 }, (_, index): DataIntegrationLine => {
    const [integration, hours, cost] = INTEGRATIONS[index % INTEGRATIONS.length]!;
    const tm = index % 17 === 16;
    return {
      object: `${NAME_FLAVOURS[index % NAME_FLAVOURS.length]!} object ${index + 1}`,
      source_system: SOURCES[index % SOURCES.length]!,
      integration: tm ? 'streaming_api_non_architected' : integration,
      hours: tm ? 0 : hours,
      cost: tm ? 0 : cost,
    };
  });
  const kpis = Array.from({ length: 200 }, (_, index): KpiLine => {
    const [complexity, hours, cost] = COMPLEXITIES[index % COMPLEXITIES.length]!;
    const tm = index % 41 === 40;
    return {
      code: `KPI-${String(index + 1).padStart(3, '0')}`,
      name: `${NAME_FLAVOURS[(index + 2) % NAME_FLAVOURS.length]!} measure ${index + 1}`,
      complexity: tm ? 'dynamic_rbac' : complexity,
      hours: tm ? 0 : hours,
      cost: tm ? 0 : cost,
    };
  });
  const tm = [
    ...objects
      .filter((line) => line.cost === 0)
      .map((line) => tmItem(`API non-architected integration: ${line.object}`, 40, 60)),
    ...kpis.filter((line) => line.cost === 0).map((line) => tmItem(`Dynamic RBAC KPI: ${line.name}`, 20, 30)),
    tmItem('Cloud Architect: Azure environment setup', 40, 80),
  ];
  return buildQuote({
    chains: ['SCOR', 'CRM', 'Sales Analytics', 'Financial Analytics'],
    term: 5,
    objects,
    kpis,
    environment: { platform: 'azure', cloud_architect_hours: { min: 40, max: 80 }, cost: 0 },
    tm,
    infra: { compute: 480_000, storage: 56_000, network: 27_000 },
    managed: { retainer: true, hours: 120 },
    schedule: schedule(
      '2026-02-02',
      30,
      [
        ['environment_setup', 'Environment setup', 1, 3, [], true],
        ['data_integration', 'Data integration', 3, 20, ['environment_setup'], true],
        ['kpi_implementation', 'KPI implementation', 8, 24, ['data_integration'], false],
        ['testing_uat', 'Testing and UAT', 21, 28, ['data_integration'], true],
        ['go_live', 'Go-live', 29, 30, ['testing_uat'], true],
      ],
      [
        { role: 'Integration Developer / Analyst', hours: 1_240, rate: 7_000, start_week: 3, end_week: 24 },
        { role: 'Integration Architect', hours: 420, rate: RATE_TM, start_week: 3, end_week: 24 },
        { role: 'Access Specialist', hours: 16, rate: 0, start_week: 1, end_week: 2 },
        { role: 'Cloud Architect', hours: 80, rate: RATE_TM, start_week: 1, end_week: 3 },
      ],
    ),
    date: '2026-01-12',
  });
}

export function documentInput(quote: Quote | undefined, client = SAMPLE_CLIENT): DocumentInput {
  return {
    proposal: {
      proposal_id: 'prop-001',
      client_id: 'nordwind-001',
      client_name: client,
      proposal_type: 'implementation',
      status: 'draft',
    },
    quote,
    date: quote?.quoted_on ?? '2025-12-15',
  };
}

/** The guide's hand-entered proposal: dollars, free-form phases and consultants, no quote. */
export function handEnteredInput(client = 'test-client-001'): DocumentInput {
  return {
    proposal: {
      ...fullProposalExample,
      proposal_id: 'prop-002',
      client_id: client,
      proposal_type: 'implementation',
      status: 'sent',
    },
    date: '2025-12-20',
  };
}

/** The sample's totals as every format must print them (the reference's figures). */
export const SAMPLE_TOTALS = {
  year1: '$123,720 - $128,970',
  yearlyRecurring: '$96,070',
  termTotal: '$315,860 - $321,110',
  implementation: '$27,650 - $32,900',
  tmRange: '$10,500 - $15,750',
  fixed: '$17,150',
  annualLicence: '$65,000',
  infrastructureAnnual: '$22,320',
  managedAnnual: '$8,750',
} as const;

/** Every name in the sample a font or an escaper could get wrong. */
export const SAMPLE_NAMES = [
  SAMPLE_CLIENT,
  GREEK_KPI,
  CYRILLIC_KPI,
  ACCENTED_KPI,
  GREEK_OBJECT,
  CYRILLIC_OBJECT,
] as const;

/** The sample with names that try to break out: markup, table pipes, Markdown syntax, controls. */
export function hostileQuote(): Quote {
  const quote = sampleQuote();
  const [first, ...kpis] = quote.implementation.kpi_implementation;
  return {
    ...quote,
    implementation: {
      ...quote.implementation,
      kpi_implementation: [{ ...first!, name: HOSTILE_KPI }, ...kpis],
    },
  };
}

export const SCRIPT_CLIENT = '<script>alert(1)</script>';
export const PIPE_CLIENT = 'a | b';
/** Markup, a table pipe, Markdown emphasis and links, a backslash, an entity and a newline. */
export const HOSTILE_KPI = '<img src=x onerror=alert(1)> | *bold* [link](x) \\ &amp; `code`\nnext';
