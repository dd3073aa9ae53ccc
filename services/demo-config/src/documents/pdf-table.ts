// Tables in the PDF: columns sized by the model's weights, cells wrapped, a
// row never split, and the header row repeated at the top of every page the
// table continues on.
import type { TableBlock } from './content-model.js';
import { drawText, ensureRoom, newPage, PDF_COLORS, setStyle, textHeight, type PdfCanvas } from './pdf-canvas.js';

const SIZE = 8.5;
const PAD_X = 4;
const PAD_Y = 3.5;

export function drawTable(canvas: PdfCanvas, table: TableBlock): void {
  const { doc } = canvas;
  const totalWeight = table.columns.reduce((sum, column) => sum + column.weight, 0);
  const widths = table.columns.map((column) => (canvas.width * column.weight) / totalWeight);
  const headers = table.columns.map((column) => column.header);

  const measure = (cells: readonly string[], bold: boolean): number => {
    setStyle(canvas, { size: SIZE, bold });
    const heights = cells.map((cell, index) =>
      cell === '' ? 0 : textHeight(canvas, cell, (widths[index] ?? 0) - 2 * PAD_X),
    );
    return Math.max(SIZE, ...heights) + 2 * PAD_Y;
  };

  const drawRow = (cells: readonly string[], y: number, height: number, kind: 'header' | 'body' | 'total'): void => {
    if (kind === 'header') doc.rect(canvas.left, y, canvas.width, height).fill(PDF_COLORS.header);
    setStyle(canvas, { size: SIZE, bold: kind !== 'body' });
    let x = canvas.left;
    cells.forEach((cell, index) => {
      const width = widths[index] ?? 0;
      const align = table.columns[index]?.align ?? 'left';
      if (cell !== '') drawText(canvas, cell, x + PAD_X, y + PAD_Y, { width: width - 2 * PAD_X, align });
      x += width;
    });
    const ruleY = kind === 'total' ? y : y + height;
    doc
      .moveTo(canvas.left, ruleY)
      .lineTo(canvas.left + canvas.width, ruleY)
      .lineWidth(kind === 'total' ? 1 : 0.5)
      .strokeColor(kind === 'total' ? PDF_COLORS.muted : PDF_COLORS.rule)
      .stroke();
    doc.y = y + height;
  };

  const headerHeight = measure(headers, true);
  const rows = [
    ...table.rows.map((cells) => ({ cells, kind: 'body' as const })),
    ...table.totals.map((cells) => ({ cells, kind: 'total' as const })),
  ];
  const first = rows[0];
  ensureRoom(canvas, headerHeight + (first === undefined ? 0 : measure(first.cells, first.kind === 'total')));
  drawRow(headers, doc.y, headerHeight, 'header');
  for (const row of rows) {
    const height = measure(row.cells, row.kind === 'total');
    if (doc.y + height > canvas.bottom) {
      newPage(canvas);
      drawRow(headers, doc.y, headerHeight, 'header');
    }
    drawRow(row.cells, doc.y, height, row.kind);
  }
  doc.x = canvas.left;
  doc.y += 10;
}
