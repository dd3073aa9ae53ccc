// The schedule chart as inline SVG, drawn from gantt.ts's geometry. Bars carry
// class "bar" (and "critical" on the critical path) and data-phase, so a reader
// or a test can find them; every text is escaped.
import { escapeHtml } from './html-escape.js';
import { GANTT_COLORS, layoutGantt, type GanttChart } from './gantt.js';

const FONT_SIZE = 12;

export function ganttSvg(chart: GanttChart, width = 720): string {
  const geometry = layoutGantt(chart, {
    width,
    labelWidth: 170,
    rowHeight: 28,
    barHeight: 16,
    axisHeight: 24,
    legendHeight: 30,
    fontSize: FONT_SIZE,
  });
  const n = (value: number): string => String(Math.round(value * 10) / 10);
  const { plot } = geometry;
  const parts: string[] = [];
  parts.push(
    `<svg class="gantt" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n(geometry.width)} ${n(geometry.height)}" ` +
      `width="${n(geometry.width)}" height="${n(geometry.height)}" role="img" aria-labelledby="gantt-title" ` +
      `font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="${FONT_SIZE}">`,
    '<title id="gantt-title">Project timeline by week</title>',
  );
  for (const x of geometry.gridLines) {
    const [top, bottom] = [n(plot.y), n(plot.y + plot.height)];
    parts.push(`<line x1="${n(x)}" y1="${top}" x2="${n(x)}" y2="${bottom}" stroke="${GANTT_COLORS.grid}"/>`);
  }
  for (const tick of geometry.ticks) {
    parts.push(
      `<text class="week" x="${n(tick.x)}" y="${n(geometry.axisY)}" text-anchor="middle" dominant-baseline="middle" ` +
        `fill="${GANTT_COLORS.axisText}">${escapeHtml(tick.label)}</text>`,
    );
  }
  parts.push(
    `<text x="0" y="${n(geometry.axisY)}" dominant-baseline="middle" fill="${GANTT_COLORS.axisText}">Week</text>`,
  );
  for (const row of geometry.rows) {
    const { bar } = row;
    const color = row.critical ? GANTT_COLORS.critical : GANTT_COLORS.phase;
    parts.push(
      `<text x="0" y="${n(row.centerY)}" dominant-baseline="middle" fill="${GANTT_COLORS.label}">` +
        `<title>${escapeHtml(row.fullLabel)}</title>${escapeHtml(row.label)}</text>`,
      `<rect class="bar${row.critical ? ' critical' : ''}" data-phase="${escapeHtml(row.fullLabel)}" ` +
        `data-critical="${row.critical}" x="${n(bar.x)}" y="${n(bar.y)}" width="${n(bar.width)}" ` +
        `height="${n(bar.height)}" rx="3" fill="${color}"><title>${escapeHtml(`${row.fullLabel}: ${row.weeks}`)}` +
        `${row.critical ? ' (critical path)' : ''}</title></rect>`,
    );
  }
  for (const item of geometry.legend) {
    const { swatch } = item;
    parts.push(
      `<rect class="legend${item.critical ? ' critical' : ''}" x="${n(swatch.x)}" y="${n(swatch.y)}" ` +
        `width="${n(swatch.width)}" height="${n(swatch.height)}" rx="2" ` +
        `fill="${item.critical ? GANTT_COLORS.critical : GANTT_COLORS.phase}"/>`,
      `<text x="${n(item.textX)}" y="${n(item.centerY)}" dominant-baseline="middle">${escapeHtml(item.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
