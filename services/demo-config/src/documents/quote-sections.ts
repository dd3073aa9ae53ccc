// Sections 1 to 6 from a generated quote: every figure is the quote's, through
// money.ts; only per-table subtotals are summed here, from the quote's lines.
import { formatUsd, formatUsdRange } from '../proposal-generator/money.js';
import type {
  DataIntegrationLine,
  HoursRange,
  KpiLine,
  Quote,
  QuoteImplementation,
  QuoteSchedule,
} from '../proposal-generator/quote-types.js';
import { column, displayCode, fact, facts, list, note, paragraph, subheading, table } from './content-blocks.js';
import type { Block } from './content-model.js';
import { formatHours, formatHoursRange, joinAnd, plural } from './format-text.js';
import { weeksLabel, type GanttChart } from './gantt.js';

const TM = 'T&M';
const SEE_TM = 'T&M, see 2.4';

export function licensingBlocks(quote: Quote): Block[] {
  const { licensing } = quote;
  const years = licensing.term_years;
  return [
    paragraph(
      `${plural(licensing.value_chains.length, 'value chain')} (${joinAnd(licensing.value_chains)}) ` +
        `on a ${years}-year term, at ${formatUsd(licensing.annual_rate_per_chain)} per value chain per year.`,
    ),
    table(
      [column('Value chain', 'left', 3), column('Per year', 'right', 1)],
      licensing.value_chains.map((chain) => [chain, formatUsd(licensing.annual_rate_per_chain)]),
      [
        ['Annual licence', formatUsd(licensing.annual_total)],
        [`Licence over the term (${plural(years, 'year')})`, formatUsd(licensing.term_total)],
      ],
    ),
    subheading('Included'),
    list([
      'Use of the Analytics Engine for the value chains above throughout the term',
      'Product updates and new releases published during the term',
      'A signed licence key, issued when the proposal is accepted and valid for the term',
    ]),
  ];
}

export function implementationBlocks(quote: Quote): Block[] {
  const work = quote.implementation;
  return [
    paragraph(
      'Fixed-price work is priced per object model and per KPI; time-and-materials (T&M) work is estimated as an ' +
        'hour range, so the implementation total is a range.',
    ),
    subheading('2.1 Data integration by object'),
    ...dataIntegration(work.data_integration),
    subheading('2.2 KPI implementation'),
    ...kpiImplementation(work.kpi_implementation),
    subheading('2.3 Environment setup'),
    ...environment(work),
    subheading('2.4 Time and materials'),
    ...timeAndMaterials(work),
    subheading('2.5 Implementation total'),
    table(
      [column('Item', 'left', 3), column('Amount', 'right', 2)],
      [
        ['Fixed-price work', formatUsd(work.fixed_total)],
        ['Time and materials', formatUsdRange(work.tm_range)],
      ],
      [['Implementation total', formatUsdRange(work.total)]],
    ),
  ];
}

/** A line priced on T&M carries hours 0 and cost 0 (quote-types.ts); its range is in tm_items. */
function isTmLine(line: { readonly hours: number; readonly cost: number }): boolean {
  return line.hours === 0 && line.cost === 0;
}

function lineFigures(line: DataIntegrationLine | KpiLine): [string, string] {
  return isTmLine(line) ? [TM, SEE_TM] : [formatHours(line.hours), formatUsd(line.cost)];
}

function subtotal(lines: readonly (DataIntegrationLine | KpiLine)[]): [string, string] {
  const fixed = lines.filter((line) => !isTmLine(line));
  const hours = fixed.reduce((sum, line) => sum + line.hours, 0);
  return [formatHours(hours), formatUsd(fixed.reduce((sum, line) => sum + line.cost, 0))];
}

function dataIntegration(lines: readonly DataIntegrationLine[]): Block[] {
  if (lines.length === 0) return [note('No object models to integrate.')];
  return [
    table(
      [column('Object', 'left', 3), column('Source system', 'left', 2.2), column('Integration', 'left', 3),
        column('Hours', 'right', 1.2), column('Cost', 'right', 1.7)],
      lines.map((line) => [line.object, line.source_system, displayCode(line.integration), ...lineFigures(line)]),
      [[`Subtotal (${plural(lines.length, 'object')})`, '', '', ...subtotal(lines)]],
    ),
  ];
}

function kpiImplementation(lines: readonly KpiLine[]): Block[] {
  if (lines.length === 0) return [note('No KPIs to implement.')];
  return [
    table(
      [column('Code', 'left', 1.6), column('KPI', 'left', 3.6), column('Complexity', 'left', 2.2),
        column('Hours', 'right', 1.2), column('Cost', 'right', 1.7)],
      lines.map((line) => [line.code, line.name, displayCode(line.complexity), ...lineFigures(line)]),
      [[`Subtotal (${plural(lines.length, 'KPI')})`, '', '', ...subtotal(lines)]],
    ),
  ];
}

function environment(work: QuoteImplementation): Block[] {
  const { platform, cloud_architect_hours: hours, cost } = work.environment;
  if (platform === 'none') {
    return [note('No environment setup: the client provides the environment. Cost $0.')];
  }
  const tm = typeof hours !== 'number';
  return [
    table(
      [column('Platform', 'left', 3), column('Cloud Architect hours', 'right', 2), column('Cost', 'right', 2)],
      [
        [
          displayCode(platform),
          tm ? `${formatHoursRange(hours)} (${TM})` : formatHours(hours),
          tm ? SEE_TM : formatUsd(cost),
        ],
      ],
    ),
    paragraph('An Access Specialist sets up network access, VPN and service accounts at the start; included.'),
  ];
}

function timeAndMaterials(work: QuoteImplementation): Block[] {
  if (work.tm_items.length === 0) return [note('No time-and-materials work.')];
  const hours: HoursRange = {
    min: work.tm_items.reduce((sum, item) => sum + item.hours.min, 0),
    max: work.tm_items.reduce((sum, item) => sum + item.hours.max, 0),
  };
  return [
    table(
      [
        column('Item', 'left', 4.2),
        column('Hours', 'right', 1.6),
        column('Rate', 'right', 1.4),
        column('Cost', 'right', 2.6),
      ],
      work.tm_items.map((item) => [
        item.description,
        formatHoursRange(item.hours),
        `${formatUsd(item.rate)}/h`,
        formatUsdRange(item.cost),
      ]),
      [['T&M range', formatHoursRange(hours), '', formatUsdRange(work.tm_range)]],
    ),
  ];
}

export function infrastructureBlocks(quote: Quote): Block[] {
  const { compute, storage, network, total } = quote.infrastructure;
  const row = (label: string, figures: { monthly: number; annual: number }): string[] => [
    label,
    formatUsd(figures.monthly),
    formatUsd(figures.annual),
  ];
  return [
    paragraph(
      'Estimated from the expected daily data volume, concurrent users, refresh period, KPI count and ' +
        'retention policy.',
    ),
    table(
      [column('Item', 'left', 3), column('Monthly', 'right', 1.5), column('Annual', 'right', 1.5)],
      [row('Compute', compute), row('Storage', storage), row('Network', network)],
      [row('Infrastructure total', total)],
    ),
  ];
}

export function managedServicesBlocks(quote: Quote): Block[] {
  const managed = quote.managed_services;
  if (!managed.retainer && managed.additional_hours === 0 && managed.annual_total === 0) {
    return [note('No managed services are included.')];
  }
  const retainer = managed.retainer ? formatUsd(managed.annual_total - managed.additional_cost) : 'Not included';
  return [
    table(
      [column('Item', 'left', 4), column('Hours per year', 'right', 1.5), column('Per year', 'right', 1.5)],
      [
        ['Support retainer (business hours, bug fixes, updates)', '', retainer],
        ['Additional support hours', formatHours(managed.additional_hours), formatUsd(managed.additional_cost)],
      ],
      [['Managed services per year', '', formatUsd(managed.annual_total)]],
    ),
  ];
}

export function costSummaryBlocks(quote: Quote): Block[] {
  const years = quote.licensing.term_years;
  const later = years > 1 ? `Each of years 2-${years}` : 'Renewal year';
  const recurring = (cents: number): string[] => [formatUsd(cents), formatUsd(cents)];
  return [
    table(
      [column('Component', 'left', 3), column('Year 1', 'right', 2.4), column(later, 'right', 2)],
      [
        ['Licence', ...recurring(quote.licensing.annual_total)],
        ['Implementation (one-time)', formatUsdRange(quote.implementation.total), '-'],
        ['Infrastructure', ...recurring(quote.infrastructure.total.annual)],
        ['Managed services', ...recurring(quote.managed_services.annual_total)],
      ],
      [['Total', formatUsdRange(quote.totals.year1), formatUsd(quote.totals.yearly_recurring)]],
    ),
    facts(costFacts(quote)),
  ];
}

function costFacts(quote: Quote): ReturnType<typeof fact>[] {
  const years = quote.licensing.term_years;
  return [
    fact('Year 1', formatUsdRange(quote.totals.year1)),
    fact(
      years > 1 ? `Yearly recurring (years 2-${years})` : 'Yearly recurring (renewal)',
      formatUsd(quote.totals.yearly_recurring),
    ),
    fact(`Term total (${plural(years, 'year')})`, formatUsdRange(quote.totals.term_total)),
  ];
}

export function scheduleBlocks(schedule: QuoteSchedule): Block[] {
  const names = new Map(schedule.phases.map((phase) => [phase.id, phase.name]));
  return [
    paragraph(`${plural(schedule.total_weeks, 'week')}, from ${schedule.start_date} to ${schedule.end_date}.`),
    subheading('Roles'),
    schedule.roles.length === 0
      ? note('No roles are scheduled.')
      : table(
          [column('Role', 'left', 4), column('Weeks', 'left', 1.6), column('Hours', 'right', 1.2)],
          schedule.roles.map((role) => [
            role.role,
            weeksLabel(role.start_week, role.end_week),
            formatHours(role.hours),
          ]),
        ),
    subheading('Timeline'),
    ...(schedule.phases.length === 0 ? [note('No phases are scheduled.')] : [
      { kind: 'gantt', chart: quoteChart(schedule) } satisfies Block,
      table(
        [column('Phase', 'left', 2.6), column('Weeks', 'left', 1.4), column('Dates', 'left', 2.6),
          column('After', 'left', 2.4), column('Critical', 'left', 1)],
        schedule.phases.map((phase) => [
          phase.name,
          weeksLabel(phase.start_week, phase.end_week),
          `${phase.start_date} - ${phase.end_date}`,
          phase.depends_on.map((id) => names.get(id) ?? id).join(', ') || '-',
          phase.critical ? 'Yes' : 'No',
        ]),
      ),
    ]),
  ];
}

function quoteChart(schedule: QuoteSchedule): GanttChart {
  return {
    totalWeeks: schedule.total_weeks,
    bars: schedule.phases.map((phase) => ({
      label: phase.name,
      startWeek: phase.start_week,
      endWeek: phase.end_week,
      critical: phase.critical,
      startDate: phase.start_date,
      endDate: phase.end_date,
    })),
  };
}

export function summaryBlocks(client: string, quote: Quote): Block[] {
  const { licensing, implementation, schedule, totals } = quote;
  const years = licensing.term_years;
  const later = years > 1 ? `each following year ${formatUsd(totals.yearly_recurring)}` : '';
  return [
    paragraph(
      `${client} licenses the Analytics Engine for ${joinAnd(licensing.value_chains)} on a ${years}-year term. ` +
        `The implementation integrates ${plural(implementation.data_integration.length, 'object model')} and ` +
        `implements ${plural(implementation.kpi_implementation.length, 'KPI')} over ` +
        `${plural(schedule.total_weeks, 'week')}, from ${schedule.start_date} to ${schedule.end_date}, for ` +
        `${formatUsdRange(implementation.total)}.`,
    ),
    paragraph(
      `The first year costs ${formatUsdRange(totals.year1)}${later === '' ? '' : `, ${later}`}, and the ` +
        `${years}-year term ${formatUsdRange(totals.term_total)} in total.`,
    ),
    facts(costFacts(quote)),
  ];
}
