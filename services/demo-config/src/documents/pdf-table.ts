// Tables in the PDF: columns sized by the model's weights, cells wrapped, a
// row never split, and the header row repeated at the top of every page the
// table continues on.
import type { TableBlock } from './content-model.js';
import { drawText, ensureRoom, newPage, PDF_COLORS, setStyle, textHeight, type PdfCanvas } from './pdf-canvas.js';
import { totalRowSpans, type CellSpan } from './table-spans.js';

type RowKind = 'header' | 'body' | 'total';

const SIZE = 8.5;
const PAD_X = 4;
const PAD_Y = 3.5;

export function drawTable(canvas: PdfCanvas, table: TableBlock): void {
  const { doc } = canvas;
  const totalWeight = table.columns.reduce((sum, column) => sum + column.weight, 0);
  const widths = table.columns.map((column) => (canvas.width * column.weight) / totalWeight);
  const headers = table.columns.map((column) => column.header);

  const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
  const lefts = widths.map((_, index) => canvas.left + sum(widths.slice(0, index)));
  const spansOf = (cells: readonly string[], kind: RowKind): CellSpan[] =>
    kind === 'total' ? totalRowSpans(cells, table.columns) : cells.map((text, column) => ({ text, column, span: 1 }));
  const spanWidth = (span: CellSpan): number => sum(widths.slice(span.column, span.column + span.span)) - 2 * PAD_X;

  const measure = (cells: readonly string[], kind: RowKind): number => {
    setStyle(canvas, { size: SIZE, bold: kind !== 'body' });
    const heights = spansOf(cells, kind).map((span) =>
      span.text === '' ? 0 : textHeight(canvas, span.text, spanWidth(span)),
    );
    return Math.max(SIZE, ...heights) + 2 * PAD_Y;
  };

  const drawRow = (cells: readonly string[], y: number, height: number, kind: RowKind): void => {
    if (kind === 'header') doc.rect(canvas.left, y, canvas.width, height).fill(PDF_COLORS.header);
    setStyle(canvas, { size: SIZE, bold: kind !== 'body' });
    for (const span of spansOf(cells, kind)) {
      const align = table.columns[span.column]?.align ?? 'left';
      const x = (lefts[span.column] ?? canvas.left) + PAD_X;
      if (span.text !== '') drawText(canvas, span.text, x, y + PAD_Y, { width: spanWidth(span), align });
    }
    const ruleY = kind === 'total' ? y : y + height;
    doc
      .moveTo(canvas.left, ruleY)
      .lineTo(canvas.left + canvas.width, ruleY)
      .lineWidth(kind === 'total' ? 1 : 0.5)
      .strokeColor(kind === 'total' ? PDF_COLORS.muted : PDF_COLORS.rule)
      .stroke();
    doc.y = y + height;
  };

  const headerHeight = measure(headers, 'header');
  const rows = [
    ...table.rows.map((cells) => ({ cells, kind: 'body' as const })),
    ...table.totals.map((cells) => ({ cells, kind: 'total' as const })),
  ];
  const first = rows[0];
  ensureRoom(canvas, headerHeight + (first === undefined ? 0 : measure(first.cells, first.kind)));
  drawRow(headers, doc.y, headerHeight, 'header');
  for (const row of rows) {
    const height = measure(row.cells, row.kind);
    if (doc.y + height > canvas.bottom) {
      newPage(canvas);
      drawRow(headers, doc.y, headerHeight, 'header');
    }
    drawRow(row.cells, doc.y, height, row.kind);
  }
  doc.x = canvas.left;
  doc.y += 10;
}
