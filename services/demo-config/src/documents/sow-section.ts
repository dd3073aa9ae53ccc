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
import { column, note, paragraph, subheading, table } from './content-blocks.js';
import type { Block } from './content-model.js';
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
      [
        column('Object', 'left', 3),
        column('Source system', 'left', 2.2),
        column('Integration', 'left', 3),
        column('Hours', 'right', 1.2),
        column('Cost', 'right', 1.7),
      ],
      lines.map((line) => [line.object, line.source_system, integrationLabel(line.integration), ...lineFigures(line)]),
      [[`Subtotal (${plural(lines.length, 'object')})`, '', '', ...subtotal(lines)]],
    ),
  ];
}

function kpiImplementation(lines: readonly KpiLine[]): Block[] {
  if (lines.length === 0) return [note('No KPIs to implement.')];
  return [
    table(
      [
        column('Code', 'left', 1.6),
        column('KPI', 'left', 3.6),
        column('Complexity', 'left', 2.2),
        column('Hours', 'right', 1.2),
        column('Cost', 'right', 1.7),
      ],
      lines.map((line) => [line.code, line.name, complexityLabel(line.complexity), ...lineFigures(line)]),
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
