// The schedule chart in Word: a table whose week cells are shaded where a
// phase runs (the critical path in its own colour), with a week axis in the
// header row and a legend beneath. Word draws it natively, it prints, and it
// stays editable; gantt.ts's grid says which cell is which.
import {
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  type Border,
  type DocxBlock,
  type DocxParagraph,
  type DocxRun,
} from './docx-api.js';
import { docxText } from './docx-text.js';
import { CRITICAL_LEGEND, GANTT_COLORS, ganttGrid, PHASE_LEGEND, type GanttChart, type WeekCell } from './gantt.js';

const LABEL_WIDTH = 2600;
const SMALL = 14;

const FILL: Record<WeekCell, string | undefined> = {
  critical: hex(GANTT_COLORS.critical),
  phase: hex(GANTT_COLORS.phase),
  empty: undefined,
};

const GRID_BORDER: Border = { style: 'single', size: 2, color: hex(GANTT_COLORS.grid) };
/** The grid is drawn by the table's own borders, not four borders on every cell. */
const BORDERS = {
  top: GRID_BORDER,
  bottom: GRID_BORDER,
  left: GRID_BORDER,
  right: GRID_BORDER,
  insideHorizontal: GRID_BORDER,
  insideVertical: GRID_BORDER,
};

export function ganttTable(chart: GanttChart, width: number): DocxBlock[] {
  const grid = ganttGrid(chart);
  const weekWidth = Math.floor((width - LABEL_WIDTH) / grid.weeks);
  // Label every week while the numbers fit (about 260 twips for two digits at 7 pt), else every few.
  const step = [1, 2, 4, 5, 10, 20].find((candidate) => candidate * weekWidth >= 260) ?? 50;
  const small = (text: string, bold = false): DocxParagraph => {
    const run = new TextRun({ text: docxText(text), size: SMALL, ...(bold ? { bold } : {}) });
    return new Paragraph({ alignment: 'center', children: [run] });
  };

  const header = new TableRow({
    tableHeader: true,
    children: [
      new TableCell({ width: { size: LABEL_WIDTH, type: 'dxa' }, children: [small('Week', true)] }),
      ...Array.from({ length: grid.weeks }, (_, index) => {
        const week = index + 1;
        return new TableCell({
          width: { size: weekWidth, type: 'dxa' },
          children: [small((week - 1) % step === 0 ? String(week) : '')],
        });
      }),
    ],
  });
  const rows = grid.rows.map(
    (row) =>
      new TableRow({
        cantSplit: true,
        children: [
          new TableCell({
            width: { size: LABEL_WIDTH, type: 'dxa' },
            children: [new Paragraph({ children: [new TextRun({ text: docxText(row.label), size: 18 })] })],
          }),
          ...row.cells.map((cell) => {
            const fill = FILL[cell];
            return new TableCell({
              width: { size: weekWidth, type: 'dxa' },
              ...(fill === undefined ? {} : { shading: { type: 'clear', color: 'auto', fill } }),
              children: [new Paragraph({ children: [] })],
            });
          }),
        ],
      }),
  );
  const legend = legendRuns(FILL.phase ?? '', PHASE_LEGEND);
  if (chart.bars.some((bar) => bar.critical)) {
    legend.push(new TextRun({ text: '    ' }), ...legendRuns(FILL.critical ?? '', CRITICAL_LEGEND));
  }
  return [
    new Table({
      rows: [header, ...rows],
      width: { size: LABEL_WIDTH + weekWidth * grid.weeks, type: 'dxa' },
      columnWidths: [LABEL_WIDTH, ...Array.from({ length: grid.weeks }, () => weekWidth)],
      borders: BORDERS,
    }),
    new Paragraph({ spacing: { before: 80, after: 160 }, children: legend }),
  ];
}

function legendRuns(fill: string, label: string): DocxRun[] {
  // Two em spaces on a shaded run: a colour swatch that needs no font glyph.
  const swatch = new TextRun({ text: '\u2003\u2003', shading: { type: 'clear', color: 'auto', fill } });
  return [swatch, new TextRun({ text: ` ${label}` })];
}

function hex(color: string): string {
  return color.replace('#', '').toUpperCase();
}
