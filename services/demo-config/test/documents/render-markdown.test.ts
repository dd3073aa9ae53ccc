import { describe, expect, it } from 'vitest';
import { EXECUTIVE_SUMMARY_HEADING, SECTION_HEADINGS } from '../../src/documents/headings.js';
import { mdInline, mdLine } from '../../src/documents/markdown-escape.js';
import { renderDocument } from '../../src/documents/render-document.js';
import { expectSampleFiguresAndNames } from './sample-expectations.js';
import { documentInput, hostileQuote, PIPE_CLIENT, sampleQuote, SCRIPT_CLIENT } from './sample-quote.js';

async function markdown(...args: Parameters<typeof documentInput>): Promise<string> {
  return (await renderDocument('md', documentInput(...args))).body.toString('utf8');
}

/** The GFM tables of a document: runs of lines starting with a pipe. */
function tables(text: string): string[][] {
  const found: string[][] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length > 0) {
      found.push(current);
      current = [];
    }
  }
  return found;
}

/** Cell separators GFM sees: pipes not escaped by a backslash. */
function separators(row: string): number {
  return [...row.matchAll(/(?<!\\)(?:\\\\)*\|/g)].length;
}

describe('Markdown document', () => {
  it('has the title, the sections in order, the totals and every name', async () => {
    const text = await markdown(sampleQuote());
    expect(text.startsWith('# Analytics Engine Proposal\n')).toBe(true);
    const headings = text
      .split('\n')
      .filter((line) => line.startsWith('## '))
      .map((line) => line.slice(3));
    expect(headings).toEqual([EXECUTIVE_SUMMARY_HEADING, ...SECTION_HEADINGS]);
    expectSampleFiguresAndNames(text);
    expect(text).toContain('| **Total** | **$123,720 - $128,970** | **$96,070** |');
  });

  it('writes every table with the same cell count in each row, whatever the names hold', async () => {
    for (const text of [await markdown(sampleQuote(), PIPE_CLIENT), await markdown(hostileQuote(), PIPE_CLIENT)]) {
      const found = tables(text);
      expect(found.length).toBeGreaterThan(8);
      for (const table of found) {
        const counts = new Set(table.map(separators));
        expect(counts.size, table.join('\n')).toBe(1);
        expect(table[1]).toMatch(/^\|( -{3}:? \|)+$/);
      }
    }
  });

  it('shows names as text: pipes, markup, emphasis and line breaks escaped', async () => {
    const text = await markdown(hostileQuote(), SCRIPT_CLIENT);
    expect(text).not.toContain('<script');
    expect(text).not.toContain('<img');
    expect(text).toContain('**&lt;script&gt;alert(1)&lt;/script&gt;**');
    const escaped = '&lt;img src=x onerror=alert(1)&gt; \\| \\*bold\\* \\[link\\](x) \\\\ &amp;amp; \\`code\\` next';
    expect(text).toContain(`| ${escaped} |`);
  });

  it('charts the schedule as a mermaid gantt with the critical path and as a week table', async () => {
    const text = await markdown(sampleQuote());
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
    expect(mermaid).toContain('dateFormat YYYY-MM-DD');
    expect(mermaid).toContain('    Environment setup :crit, p1, 2026-01-05, 12d');
    expect(mermaid).toContain('    KPI implementation :p3, 2026-01-26, 33d');
    expect(text).toContain('| Environment setup | Weeks 1-2 | `██········` |');
    expect(text).toContain('| KPI implementation | Weeks 4-8 | `···▒▒▒▒▒··` |');
    expect(text).toContain('▒ Phase, █ Critical path');
  });
});

describe('Markdown escaping', () => {
  it('escapes what would be markup inline, and block markers at a line start', () => {
    expect(mdInline('a | b')).toBe('a \\| b');
    expect(mdInline('x_y*z~[a](b)`c`\\')).toBe('x\\_y\\*z\\~\\[a\\](b)\\`c\\`\\\\');
    expect(mdInline('<b> T&M &amp; &#60;')).toBe('&lt;b&gt; T&M &amp;amp; &amp;#60;');
    expect(mdInline('one\ntwo\r\nthree')).toBe('one two three');
    expect(mdInline('say :smile: now')).toBe('say \\:smile: now');
    expect(mdLine('# not a heading')).toBe('\\# not a heading');
    expect(mdLine('- not a list')).toBe('\\- not a list');
    expect(mdLine('1. not a list')).toBe('1\\. not a list');
    expect(mdLine('Plain text - with a dash')).toBe('Plain text - with a dash');
  });
});
