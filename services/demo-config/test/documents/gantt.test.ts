import { describe, expect, it } from 'vitest';
import {
  CRITICAL_LEGEND,
  ganttGrid,
  layoutGantt,
  PHASE_LEGEND,
  type GanttChart,
  type GanttFrame,
} from '../../src/documents/gantt.js';

const chart: GanttChart = {
  totalWeeks: 10,
  bars: [
    { label: 'Environment setup', startWeek: 1, endWeek: 2, critical: true },
    { label: 'Data integration', startWeek: 2, endWeek: 6, critical: true },
    { label: 'KPI implementation', startWeek: 4, endWeek: 8, critical: false },
  ],
};

const frame: GanttFrame = {
  width: 700,
  labelWidth: 100,
  rowHeight: 20,
  barHeight: 10,
  axisHeight: 16,
  legendHeight: 24,
  fontSize: 10,
};

describe('gantt layout', () => {
  it('places one bar per phase over its weeks, row under row', () => {
    const geometry = layoutGantt(chart, frame);
    expect(geometry.weekWidth).toBe(60);
    expect(geometry.rows.map((row) => row.bar)).toEqual([
      { x: 100, y: 21, width: 120, height: 10 },
      { x: 160, y: 41, width: 300, height: 10 },
      { x: 280, y: 61, width: 300, height: 10 },
    ]);
    expect(geometry.rows.map((row) => [row.critical, row.weeks])).toEqual([
      [true, 'Weeks 1-2'],
      [true, 'Weeks 2-6'],
      [false, 'Weeks 4-8'],
    ]);
    expect(geometry.height).toBe(16 + 3 * 20 + 24);
    expect(geometry.gridLines).toHaveLength(11);
  });

  it('labels every week when there is room, and every few weeks from week 1 when there is not', () => {
    const labels = layoutGantt(chart, frame).ticks.map((tick) => tick.label);
    expect(labels).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const narrow = layoutGantt({ ...chart, totalWeeks: 30 }, { ...frame, width: 250 });
    // 5 units a week, about 17 for a two-digit label: every 4th week.
    expect(narrow.ticks.map((tick) => tick.label)).toEqual(['1', '5', '9', '13', '17', '21', '25', '29']);
    expect(narrow.ticks[0]?.x).toBeCloseTo(100 + narrow.weekWidth / 2);
  });

  it('has a legend entry for the critical path only when a phase is critical', () => {
    expect(layoutGantt(chart, frame).legend.map((item) => [item.label, item.critical])).toEqual([
      [PHASE_LEGEND, false],
      [CRITICAL_LEGEND, true],
    ]);
    const relaxed = { ...chart, bars: chart.bars.map((bar) => ({ ...bar, critical: false })) };
    expect(layoutGantt(relaxed, frame).legend.map((item) => item.label)).toEqual([PHASE_LEGEND]);
  });

  it('shortens a label wider than its column with an ellipsis, never splitting an emoji', () => {
    const label = `${'Very long phase name '.repeat(4)}👩‍💻`;
    const long = { totalWeeks: 2, bars: [{ label, startWeek: 1, endWeek: 2, critical: false }] };
    const [row] = layoutGantt(long, frame).rows;
    expect(row?.label.endsWith('…')).toBe(true);
    expect(row?.label.length).toBeLessThan(label.length);
    expect(row?.fullLabel).toBe(label);
    const emoji = { totalWeeks: 1, bars: [{ label: '👩‍💻👩‍💻👩‍💻👩‍💻', startWeek: 1, endWeek: 1, critical: false }] };
    const measure = (text: string) => [...new Intl.Segmenter().segment(text)].length * 10;
    const cut = layoutGantt(emoji, { ...frame, labelWidth: 40, measure }).rows[0]?.label;
    expect(cut).toBe('👩‍💻👩‍💻…');
  });

  it('stretches the chart to a bar that ends after the schedule says', () => {
    const late = { totalWeeks: 4, bars: [{ label: 'Late', startWeek: 3, endWeek: 6, critical: false }] };
    const geometry = layoutGantt(late, frame);
    expect(geometry.weekWidth).toBe(100);
    expect(geometry.rows[0]?.bar).toMatchObject({ x: 300, width: 400 });
  });
});

describe('gantt grid', () => {
  it('marks each week of each phase, critical or not', () => {
    const bars = chart.bars.slice(0, 2).map((bar) => ({ ...bar, endWeek: Math.min(bar.endWeek, 4) }));
    const grid = ganttGrid({ totalWeeks: 4, bars });
    expect(grid.weeks).toBe(4);
    expect(grid.rows.map((row) => row.cells)).toEqual([
      ['critical', 'critical', 'empty', 'empty'],
      ['empty', 'critical', 'critical', 'critical'],
    ]);
    const phase = ganttGrid({ totalWeeks: 3, bars: [{ label: 'P', startWeek: 2, endWeek: 2, critical: false }] });
    expect(phase.rows[0]).toEqual({ label: 'P', weeks: 'Week 2', cells: ['empty', 'phase', 'empty'] });
  });
});
