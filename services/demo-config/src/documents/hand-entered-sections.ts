// Sections of a proposal entered by hand, without a quote: they show what the
// stored guide fields hold (pricing in dollars, a free-form timeline and
// resources) and say briefly where there is nothing.
import { dollarsToCents, formatUsd } from '../proposal-generator/money.js';
import { column, fact, facts, list, note, paragraph, subheading, table } from './content-blocks.js';
import type { Block } from './content-model.js';
import type { DocumentProposal } from './document-input.js';
import { describeJson, formatHours, humanizeKey } from './format-text.js';
import { weeksLabel, type GanttBar } from './gantt.js';

/** The guide's pricing.total is dollars. */
function dollars(value: number): string {
  return formatUsd(dollarsToCents(value));
}

export function noQuoteNote(topic: string): Block {
  return note(`No ${topic} quote is recorded on this proposal.`);
}

export function handEnteredSummary(client: string, proposal: DocumentProposal): Block[] {
  const total = proposal.pricing?.total;
  const timeline = proposal.timeline;
  const when =
    timeline?.start_date !== undefined && timeline.end_date !== undefined
      ? `, from ${timeline.start_date} to ${timeline.end_date}`
      : '';
  const kind = proposal.proposal_type === undefined ? 'proposal' : `${proposal.proposal_type} proposal`;
  const article = /^[aeiou]/i.test(kind) ? 'An' : 'A';
  return [
    paragraph(
      `${article} ${kind} for ${client}${when}. It was entered by hand, without a ` +
        'generated quote, so it shows the figures recorded on it.',
    ),
    total === undefined ? note('No pricing is recorded on this proposal yet.') : facts([fact('Total', dollars(total))]),
  ];
}

export function handEnteredCostSummary(proposal: DocumentProposal): Block[] {
  const pricing = proposal.pricing;
  const breakdown = Object.entries(pricing?.breakdown ?? {});
  if (pricing?.total === undefined && breakdown.length === 0) return [note('No pricing is recorded on this proposal.')];
  const rows = breakdown.map(([key, value]) => [
    humanizeKey(key),
    typeof value === 'number' ? dollars(value) : describeJson(value),
  ]);
  const totals = pricing?.total === undefined ? [] : [['Total', dollars(pricing.total)]];
  return [table([column('Item', 'left', 3), column('Amount', 'right', 2)], rows, totals)];
}

export function handEnteredSchedule(proposal: DocumentProposal): Block[] {
  const timeline = proposal.timeline ?? {};
  const phases = timeline.phases ?? [];
  const blocks: Block[] = [];
  const span = [timeline.start_date && `from ${timeline.start_date}`, timeline.end_date && `to ${timeline.end_date}`];
  const when = span.filter(Boolean).join(' ');
  if (when !== '') blocks.push(paragraph(`The engagement runs ${when}.`));
  blocks.push(subheading('Roles'), ...resourceBlocks(proposal));
  blocks.push(subheading('Timeline'));
  if (phases.length === 0) {
    blocks.push(note('No phases are recorded on this proposal.'));
    return blocks;
  }
  const bars = phaseBars(phases);
  if (bars !== undefined) {
    blocks.push({ kind: 'gantt', chart: { totalWeeks: Math.max(...bars.map((bar) => bar.endWeek)), bars } });
    const rows = bars.map((bar) => [bar.label, weeksLabel(bar.startWeek, bar.endWeek)]);
    blocks.push(table([column('Phase', 'left', 3), column('Weeks', 'left', 2)], rows));
  } else {
    blocks.push(list(phases.map(describeJson)));
  }
  return blocks;
}

function resourceBlocks(proposal: DocumentProposal): Block[] {
  const consultants = proposal.resources?.consultants ?? [];
  const hours = proposal.resources?.hours;
  const blocks: Block[] = [];
  if (consultants.length > 0) blocks.push(list(consultants.map((consultant) => describeJson(personName(consultant)))));
  if (hours !== undefined) blocks.push(facts([fact('Total hours', formatHours(hours))]));
  return blocks.length > 0 ? blocks : [note('No resources are recorded on this proposal.')];
}

function personName(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const name = value.name ?? value.role;
  return typeof name === 'string' ? name : value;
}

/**
 * Bars from free-form phases when every phase gives its weeks: `start_week`
 * and `end_week`, or a length in `weeks` laid after the phase before it (the
 * guide's example `{name, weeks}`). Anything else is listed, not drawn.
 */
function phaseBars(phases: readonly unknown[]): GanttBar[] | undefined {
  const bars: GanttBar[] = [];
  let nextWeek = 1;
  for (const [index, phase] of phases.entries()) {
    if (!isRecord(phase)) return undefined;
    const label = typeof phase.name === 'string' ? phase.name : `Phase ${index + 1}`;
    const { start_week: start, end_week: end, weeks } = phase;
    if (isWeek(start) && isWeek(end) && end >= start) {
      bars.push({ label, startWeek: start, endWeek: end, critical: false });
      nextWeek = Math.max(nextWeek, end + 1);
    } else if (isWeek(weeks)) {
      bars.push({ label, startWeek: nextWeek, endWeek: nextWeek + weeks - 1, critical: false });
      nextWeek += weeks;
    } else {
      return undefined;
    }
  }
  // A chart of thousands of weeks is no chart: list such a timeline instead.
  return nextWeek - 1 <= MAX_CHART_WEEKS ? bars : undefined;
}

const MAX_CHART_WEEKS = 260;

function isWeek(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_CHART_WEEKS;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
