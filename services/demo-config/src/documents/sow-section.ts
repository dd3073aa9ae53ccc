// Section 2, the statement of work: data integration by object, KPI
// implementation, environment setup, T&M items with hour ranges, subtotals
// and the implementation range. Figures are the quote's; a table's subtotal
// sums the quote's own lines.
import { formatUsd, formatUsdRange } from '../proposal-generator/money.js';
import type {
  DataIntegrationLine,
  HoursRange,
  KpiLine,
  Quote,
  QuoteImplementation,
} from '../proposal-generator/quote-types.js';
import { column, itemTable, note, paragraph, subheading, table } from './content-blocks.js';
import type { Block, TableColumn } from './content-model.js';
import { formatHours, formatHoursRange, plural } from './format-text.js';
import { complexityLabel, integrationLabel, platformLabel } from './labels.js';

const TM = 'T&M';
const SEE_TM = 'T&M, see 2.4';

export function implementationBlocks(quote: Quote): Block[] {
  const work = quote.implementation;
  return [
    paragraph(
      'Fixed-price work is priced per object model and per KPI; time-and-materials (T&M) work is estimated as an ' +
        'hour range, so the implementation total is a range.',
    ),
    subheading('2.1 Data integration by object'),
    ...pricedLines(work.data_integration, OBJECTS, (line) => [
      line.object,
      line.source_system,
      integrationLabel(line.integration),
    ]),
    subheading('2.2 KPI implementation'),
    ...pricedLines(work.kpi_implementation, KPIS, (line) => [line.code, line.name, complexityLabel(line.complexity)]),
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

/** A table of fixed-price lines (T&M ones point to 2.4): what each line is, then its hours and cost, and a subtotal. */
function pricedLines<Line extends DataIntegrationLine | KpiLine>(
  lines: readonly Line[],
  what: { readonly noun: string; readonly none: string; readonly columns: readonly TableColumn[] },
  describe: (line: Line) => string[],
): Block[] {
  if (lines.length === 0) return [note(what.none)];
  const fixed = lines.filter((line) => !isTmLine(line));
  const hours = fixed.reduce((sum, line) => sum + line.hours, 0);
  const cost = fixed.reduce((sum, line) => sum + line.cost, 0);
  const blanks = what.columns.slice(1).map(() => '');
  return [
    table(
      [...what.columns, column('Hours', 'right', 1.2), column('Cost', 'right', 1.7)],
      lines.map((line) => [
        ...describe(line),
        ...(isTmLine(line) ? [TM, SEE_TM] : [formatHours(line.hours), formatUsd(line.cost)]),
      ]),
      [[`Subtotal (${plural(lines.length, what.noun)})`, ...blanks, formatHours(hours), formatUsd(cost)]],
    ),
  ];
}

const OBJECTS = {
  noun: 'object',
  none: 'No object models to integrate.',
  columns: [column('Object', 'left', 3), column('Source system', 'left', 2.2), column('Integration', 'left', 3)],
};

const KPIS = {
  noun: 'KPI',
  none: 'No KPIs to implement.',
  columns: [column('Code', 'left', 1.6), column('KPI', 'left', 3.6), column('Complexity', 'left', 2.2)],
};

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
          platformLabel(platform),
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
    itemTable(
      work.tm_items,
      [
        [column('Item', 'left', 4.2), (item) => item.description],
        [column('Hours', 'right', 1.6), (item) => formatHoursRange(item.hours)],
        [column('Rate', 'right', 1.4), (item) => `${formatUsd(item.rate)}/h`],
        [column('Cost', 'right', 2.6), (item) => formatUsdRange(item.cost)],
      ],
      [['T&M range', formatHoursRange(hours), '', formatUsdRange(work.tm_range)]],
    ),
  ];
}
