// The schedule chart in the PDF, drawn as vectors from gantt.ts's geometry.
import { GANTT_COLORS, layoutGantt, type GanttChart } from './gantt.js';
import { drawText, ensureRoom, setStyle, type PdfCanvas } from './pdf-canvas.js';
import { pdfText } from './pdf-font.js';

const SIZE = 8;

export function drawGantt(canvas: PdfCanvas, chart: GanttChart): void {
  const { doc } = canvas;
  setStyle(canvas, { size: SIZE });
  const geometry = layoutGantt(chart, {
    width: canvas.width,
    labelWidth: 120,
    rowHeight: 24,
    barHeight: 14,
    axisHeight: 18,
    legendHeight: 26,
    fontSize: SIZE,
    measure: (text) => doc.widthOfString(pdfText(text)),
  });
  const originX = canvas.left;
  const originY = ensureRoom(canvas, geometry.height);
  const lineHeight = doc.currentLineHeight();
  const at = (x: number): number => originX + x;
  const top = (centerY: number): number => originY + centerY - lineHeight / 2;
  const { plot } = geometry;

  doc.lineWidth(0.5).strokeColor(GANTT_COLORS.grid);
  for (const x of geometry.gridLines) {
    doc
      .moveTo(at(x), originY + plot.y)
      .lineTo(at(x), originY + plot.y + plot.height)
      .stroke();
  }

  setStyle(canvas, { size: SIZE, color: GANTT_COLORS.axisText });
  drawText(canvas, 'Week', originX, top(geometry.axisY), { width: plot.x });
  const tickWidth = Math.max(geometry.weekWidth, 24);
  for (const tick of geometry.ticks) {
    const x = at(tick.x) - tickWidth / 2;
    drawText(canvas, tick.label, x, top(geometry.axisY), { width: tickWidth, align: 'center' });
  }

  for (const row of geometry.rows) {
    setStyle(canvas, { size: SIZE, color: GANTT_COLORS.label });
    drawText(canvas, row.label, originX, top(row.centerY), { width: plot.x });
    const { bar } = row;
    doc
      .roundedRect(at(bar.x) + 0.5, originY + bar.y, Math.max(bar.width - 1, 1), bar.height, 2)
      .fill(row.critical ? GANTT_COLORS.critical : GANTT_COLORS.phase);
  }

  for (const item of geometry.legend) {
    const { swatch } = item;
    doc
      .rect(at(swatch.x), originY + swatch.y, swatch.width, swatch.height)
      .fill(item.critical ? GANTT_COLORS.critical : GANTT_COLORS.phase);
    setStyle(canvas, { size: SIZE });
    drawText(canvas, item.label, at(item.textX), top(item.centerY), { width: 120 });
  }
  doc.x = canvas.left;
  doc.y = originY + geometry.height + 8;
}
