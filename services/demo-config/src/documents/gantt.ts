// The schedule chart, laid out once: phases as bars over weeks, a week axis,
// critical-path bars marked, a legend. Pure geometry (top-left origin, the
// caller's units) that the SVG and PDF renderers draw, and a week grid that
// the Word table and the Markdown text chart fill. No drawing happens here.

export interface GanttBar {
  readonly label: string;
  /** 1-based, inclusive. */
  readonly startWeek: number;
  readonly endWeek: number;
  readonly critical: boolean;
  /** ISO dates when the schedule has them (the Markdown mermaid chart needs them). */
  readonly startDate?: string | undefined;
  readonly endDate?: string | undefined;
}

export interface GanttChart {
  readonly totalWeeks: number;
  readonly bars: readonly GanttBar[];
}

/** One palette for every format, so a reader sees the same chart in each. */
export const GANTT_COLORS = {
  phase: '#4c78a8',
  critical: '#c0392b',
  grid: '#d9d9d9',
  axisText: '#555555',
  label: '#222222',
} as const;

export const CRITICAL_LEGEND = 'Critical path';
export const PHASE_LEGEND = 'Phase';

export interface GanttFrame {
  readonly width: number;
  readonly labelWidth: number;
  readonly rowHeight: number;
  readonly barHeight: number;
  readonly axisHeight: number;
  readonly legendHeight: number;
  readonly fontSize: number;
  /** Width of a text at fontSize; an estimate when the caller cannot measure (SVG). */
  readonly measure?: (text: string) => number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface GanttRow {
  /** Shortened with an ellipsis when wider than the label column. */
  readonly label: string;
  readonly fullLabel: string;
  /** Vertical centre of the row, for the label's baseline. */
  readonly centerY: number;
  readonly bar: Rect;
  readonly critical: boolean;
  readonly weeks: string;
}

export interface GanttTick {
  /** Centre of the week's column. */
  readonly x: number;
  readonly label: string;
}

export interface GanttLegendItem {
  readonly swatch: Rect;
  readonly label: string;
  readonly textX: number;
  readonly centerY: number;
  readonly critical: boolean;
}

export interface GanttGeometry {
  readonly width: number;
  readonly height: number;
  readonly plot: Rect;
  readonly weekWidth: number;
  /** Centre of the axis row, for the week labels. */
  readonly axisY: number;
  readonly ticks: readonly GanttTick[];
  /** x of every week boundary, drawn as light vertical lines. */
  readonly gridLines: readonly number[];
  readonly rows: readonly GanttRow[];
  readonly legend: readonly GanttLegendItem[];
}

/** "Week 3" or "Weeks 2-6". */
export function weeksLabel(startWeek: number, endWeek: number): string {
  return startWeek === endWeek ? `Week ${startWeek}` : `Weeks ${startWeek}-${endWeek}`;
}

/** The chart's week count: the schedule's, stretched to its last bar should they disagree. */
export function chartWeeks(chart: GanttChart): number {
  return Math.max(1, chart.totalWeeks, ...chart.bars.map((bar) => bar.endWeek));
}

export function layoutGantt(chart: GanttChart, frame: GanttFrame): GanttGeometry {
  const weeks = chartWeeks(chart);
  const measure = frame.measure ?? ((text: string) => estimateWidth(text, frame.fontSize));
  const plotX = frame.labelWidth;
  const plotWidth = Math.max(1, frame.width - frame.labelWidth);
  const weekWidth = plotWidth / weeks;
  const plotY = frame.axisHeight;
  const plotHeight = chart.bars.length * frame.rowHeight;
  const labelRoom = frame.labelWidth - frame.fontSize * 0.6;

  const step = tickStep(weekWidth, measure(String(weeks)) + frame.fontSize * 0.6);
  const ticks: GanttTick[] = [];
  for (let week = 1; week <= weeks; week += 1) {
    if ((week - 1) % step === 0) ticks.push({ x: plotX + (week - 0.5) * weekWidth, label: String(week) });
  }
  const gridLines = Array.from({ length: weeks + 1 }, (_, index) => plotX + index * weekWidth);

  const rows = chart.bars.map((bar, index): GanttRow => {
    const start = clamp(bar.startWeek, 1, weeks);
    const end = clamp(bar.endWeek, start, weeks);
    const top = plotY + index * frame.rowHeight;
    return {
      label: fitText(bar.label, labelRoom, measure),
      fullLabel: bar.label,
      centerY: top + frame.rowHeight / 2,
      bar: {
        x: plotX + (start - 1) * weekWidth,
        y: top + (frame.rowHeight - frame.barHeight) / 2,
        width: (end - start + 1) * weekWidth,
        height: frame.barHeight,
      },
      critical: bar.critical,
      weeks: weeksLabel(bar.startWeek, bar.endWeek),
    };
  });

  const legendY = plotY + plotHeight + frame.legendHeight / 2;
  const swatchSize = frame.fontSize;
  const kinds = chart.bars.some((bar) => bar.critical) ? [false, true] : [false];
  let cursor = plotX;
  const legend = kinds.map((critical): GanttLegendItem => {
    const label = critical ? CRITICAL_LEGEND : PHASE_LEGEND;
    const item = {
      swatch: { x: cursor, y: legendY - swatchSize / 2, width: swatchSize, height: swatchSize },
      label,
      textX: cursor + swatchSize * 1.5,
      centerY: legendY,
      critical,
    };
    cursor = item.textX + measure(label) + swatchSize * 2;
    return item;
  });

  return {
    width: frame.width,
    height: plotY + plotHeight + frame.legendHeight,
    plot: { x: plotX, y: plotY, width: plotWidth, height: plotHeight },
    weekWidth,
    axisY: frame.axisHeight / 2,
    ticks,
    gridLines,
    rows,
    legend,
  };
}

export type WeekCell = 'critical' | 'phase' | 'empty';

export interface GanttGridRow {
  readonly label: string;
  readonly weeks: string;
  readonly cells: readonly WeekCell[];
}

/** The chart as a week-by-phase grid, for formats that draw it with table cells or characters. */
export function ganttGrid(chart: GanttChart): { readonly weeks: number; readonly rows: readonly GanttGridRow[] } {
  const weeks = chartWeeks(chart);
  const rows = chart.bars.map((bar) => ({
    label: bar.label,
    weeks: weeksLabel(bar.startWeek, bar.endWeek),
    cells: Array.from({ length: weeks }, (_, index): WeekCell => {
      const week = index + 1;
      if (week < bar.startWeek || week > bar.endWeek) return 'empty';
      return bar.critical ? 'critical' : 'phase';
    }),
  }));
  return { weeks, rows };
}

/** Label every week while the labels fit, else weeks 1, 1 + step, 1 + 2 x step... */
function tickStep(weekWidth: number, labelWidth: number): number {
  for (const step of [1, 2, 4, 5, 10, 20, 25, 50, 100]) if (step * weekWidth >= labelWidth) return step;
  return 100;
}

function fitText(text: string, room: number, measure: (text: string) => number): string {
  if (measure(text) <= room) return text;
  const kept = graphemes(text);
  while (kept.length > 1 && measure(`${kept.join('')}…`) > room) kept.pop();
  return `${kept.join('').trimEnd()}…`;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** What a reader counts as characters: an emoji with its modifiers is one, so a cut never splits it. */
function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/** Average glyph width of a sans-serif face: about 0.55 em. */
function estimateWidth(text: string, fontSize: number): number {
  return graphemes(text).length * fontSize * 0.55;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
