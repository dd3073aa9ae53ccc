import { parse, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_TITLE, EXECUTIVE_SUMMARY_HEADING, SECTION_HEADINGS } from '../../src/documents/headings.js';
import { renderDocument } from '../../src/documents/render-document.js';
import { expectSampleFiguresAndNames } from './sample-expectations.js';
import {
  documentInput,
  HOSTILE_KPI,
  hostileQuote,
  SAMPLE_CLIENT,
  SAMPLE_TOTALS,
  sampleQuote,
  SCRIPT_CLIENT,
} from './sample-quote.js';

async function html(...args: Parameters<typeof documentInput>): Promise<{ raw: string; root: HTMLElement }> {
  const raw = (await renderDocument('html', documentInput(...args))).body.toString('utf8');
  return { raw, root: parse(raw) };
}

describe('HTML document', () => {
  it('is one self-contained page with the title, the client and the sections in order', async () => {
    const { raw, root } = await html(sampleQuote());
    expect(raw.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(root.querySelector('h1')?.text).toBe(DOCUMENT_TITLE);
    expect(root.querySelector('.client')?.text).toBe(SAMPLE_CLIENT);
    const headings = root.querySelectorAll('h2').map((heading) => heading.text);
    expect(headings).toEqual([EXECUTIVE_SUMMARY_HEADING, ...SECTION_HEADINGS]);
    expect(root.querySelectorAll('script, link, img, iframe')).toHaveLength(0);
    expect(raw).not.toMatch(/\bsrc=|\bhref=/);
  });

  it('shows the totals and every name exactly', async () => {
    const { root } = await html(sampleQuote());
    const text = root.text;
    expectSampleFiguresAndNames(text);
    const costs = root.querySelectorAll('section')[5];
    expect(costs?.querySelector('tfoot')?.text).toContain(SAMPLE_TOTALS.year1);
  });

  it('draws the schedule as SVG: one bar per phase, the critical path marked, a legend', async () => {
    const { root } = await html(sampleQuote());
    const svg = root.querySelector('section.new-page svg');
    expect(svg).not.toBeNull();
    const bars = svg!.querySelectorAll('rect.bar');
    const phases = sampleQuote().schedule.phases.map((phase) => phase.name);
    expect(bars.map((bar) => bar.getAttribute('data-phase'))).toEqual(phases);
    expect(bars.map((bar) => bar.classList.contains('critical'))).toEqual([true, true, false, true, true]);
    const colours = new Set(bars.map((bar) => bar.getAttribute('fill')));
    expect(colours.size).toBe(2);
    expect(svg!.querySelectorAll('rect.legend.critical')).toHaveLength(1);
    expect(svg!.text).toContain('Critical path');
    // The week axis: ten weeks, each labelled.
    const weeks = svg!.querySelectorAll('text.week').map((label) => label.text);
    expect(weeks).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  it('shows a client named like a script as text, and runs nothing', async () => {
    const { raw, root } = await html(sampleQuote(), SCRIPT_CLIENT);
    expect(root.querySelectorAll('script')).toHaveLength(0);
    expect(root.querySelector('.client')?.text).toBe(SCRIPT_CLIENT);
    expect(raw).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(raw).not.toContain('<script');
  });

  it('escapes markup in KPI names, in tables and in attributes', async () => {
    const { raw, root } = await html(hostileQuote());
    expect(root.querySelectorAll('img')).toHaveLength(0);
    const cells = root.querySelectorAll('td').map((cell) => cell.text);
    expect(cells).toContain(HOSTILE_KPI);
    expect(raw).not.toContain('<img');
  });
});
