// The executive summary and sections 1, 3 to 6 from a generated quote (the
// statement of work is sow-section.ts): every figure is the quote's, through money.ts.
import { formatUsd, formatUsdRange } from '../proposal-generator/money.js';
import type { Quote, QuoteSchedule } from '../proposal-generator/quote-types.js';
import { column, fact, facts, itemTable, list, note, paragraph, subheading, table } from './content-blocks.js';
import type { Block } from './content-model.js';
import { formatHours, joinAnd, plural } from './format-text.js';
import { weeksLabel, type GanttChart } from './gantt.js';

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
      : itemTable(schedule.roles, [
          [column('Role', 'left', 4), (role) => role.role],
          [column('Weeks', 'left', 1.6), (role) => weeksLabel(role.start_week, role.end_week)],
          [column('Hours', 'right', 1.2), (role) => formatHours(role.hours)],
        ]),
    subheading('Timeline'),
    ...(schedule.phases.length === 0
      ? [note('No phases are scheduled.')]
      : [
          { kind: 'gantt', chart: quoteChart(schedule) } satisfies Block,
          itemTable(schedule.phases, [
            [column('Phase', 'left', 2.6), (phase) => phase.name],
            [column('Weeks', 'left', 1.4), (phase) => weeksLabel(phase.start_week, phase.end_week)],
            [column('Dates', 'left', 2.6), (phase) => `${phase.start_date} - ${phase.end_date}`],
            [
              column('After', 'left', 2.4),
              (phase) => phase.depends_on.map((id) => names.get(id) ?? id).join(', ') || '-',
            ],
            [column('Critical', 'left', 1), (phase) => (phase.critical ? 'Yes' : 'No')],
          ]),
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
