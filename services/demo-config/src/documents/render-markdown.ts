// The document as GitHub-flavoured Markdown: GFM tables, the schedule as a
// mermaid gantt block (when the phases have dates) plus a week-by-week table
// that reads as a chart in plain text too.
import type { Block, DocumentContent, Fact, TableBlock } from './content-model.js';
import { CRITICAL_LEGEND, ganttGrid, PHASE_LEGEND, type GanttChart, type WeekCell } from './gantt.js';
import { mdInline, mdLine, mermaidLabel } from './markdown-escape.js';

const WEEK_MARK: Record<WeekCell, string> = { critical: '█', phase: '▒', empty: '·' };

export function renderMarkdown(content: DocumentContent): string {
  const parts = [`# ${mdInline(content.title)}`, `**${mdInline(content.client)}**`, factList(content.titleFacts)];
  for (const section of content.sections) {
    parts.push(`## ${mdInline(section.heading)}`, ...section.blocks.map(block));
  }
  return `${parts.join('\n\n')}\n`;
}

function block(item: Block): string {
  switch (item.kind) {
    case 'paragraph':
      return mdLine(item.text);
    case 'note':
      return `_${mdInline(item.text)}_`;
    case 'subheading':
      return `### ${mdInline(item.text)}`;
    case 'list':
      return item.items.map((text, index) => `${item.ordered ? `${index + 1}.` : '-'} ${mdLine(text)}`).join('\n');
    case 'facts':
      return factList(item.items);
    case 'table':
      return table(item);
    case 'gantt':
      return gantt(item.chart);
  }
}

function factList(items: readonly Fact[]): string {
  return items.map((item) => `- **${mdInline(item.label)}:** ${mdInline(item.value)}`).join('\n');
}

function table(item: TableBlock): string {
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const lines = [
    row(item.columns.map((column) => mdInline(column.header))),
    row(item.columns.map((column) => (column.align === 'right' ? '---:' : '---'))),
    ...item.rows.map((cells) => row(cells.map(mdInline))),
    ...item.totals.map((cells) => row(cells.map((cell) => (cell === '' ? '' : `**${mdInline(cell)}**`)))),
  ];
  return lines.join('\n');
}

function gantt(chart: GanttChart): string {
  const parts: string[] = [];
  const dated = chart.bars.every((bar) => bar.startDate !== undefined && bar.endDate !== undefined);
  if (dated && chart.bars.length > 0) {
    const tasks = chart.bars.map((bar, index) => {
      const days = daysBetween(bar.startDate ?? '', bar.endDate ?? '') + 1;
      const tags = [bar.critical ? 'crit' : '', `p${index + 1}`, bar.startDate ?? '', `${days}d`].filter(Boolean);
      return `    ${mermaidLabel(bar.label, `Phase ${index + 1}`)} :${tags.join(', ')}`;
    });
    parts.push(
      [
        '```mermaid',
        'gantt',
        '    title Timeline',
        '    dateFormat YYYY-MM-DD',
        '    axisFormat %d %b',
        '    section Phases',
        ...tasks,
        '```',
      ].join('\n'),
    );
  }
  const grid = ganttGrid(chart);
  const header = `| Phase | Weeks | Weeks 1-${grid.weeks} |`;
  const rows = grid.rows.map(
    // The week marks as code, so they line up in a monospace face.
    (row) => {
      const marks = row.cells.map((cell) => WEEK_MARK[cell]).join('');
      return `| ${mdInline(row.label)} | ${mdInline(row.weeks)} | \`${marks}\` |`;
    },
  );
  const legend = [`${WEEK_MARK.phase} ${PHASE_LEGEND}`];
  if (chart.bars.some((bar) => bar.critical)) legend.push(`${WEEK_MARK.critical} ${CRITICAL_LEGEND}`);
  parts.push([header, '| --- | --- | --- |', ...rows].join('\n'), legend.join(', '));
  return parts.join('\n\n');
}

function daysBetween(start: string, end: string): number {
  const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000;
  return Number.isFinite(days) && days >= 0 ? Math.round(days) : 0;
}
