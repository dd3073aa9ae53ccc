import { describe, expect, it } from 'vitest';
import { GANTT_COLORS } from '../../src/documents/gantt.js';
import { DOCUMENT_TITLE, EXECUTIVE_SUMMARY_HEADING, SECTION_HEADINGS } from '../../src/documents/headings.js';
import { renderDocument } from '../../src/documents/render-document.js';
import { unzipDocx, wordParagraphs } from './read-back.js';
import { expectSampleFiguresAndNames } from './sample-expectations.js';
import { documentInput, HOSTILE_KPI, hostileQuote, SAMPLE_CLIENT, sampleQuote, SCRIPT_CLIENT } from './sample-quote.js';

async function word(...args: Parameters<typeof documentInput>): Promise<Record<string, string>> {
  const document = (await renderDocument('docx', documentInput(...args))).body;
  expect(document.subarray(0, 2).toString('latin1')).toBe('PK');
  return unzipDocx(document);
}

function documentXml(parts: Record<string, string>): string {
  const xml = parts['word/document.xml'];
  if (xml === undefined) throw new Error('no word/document.xml');
  return xml;
}

/** Characters XML 1.0 cannot hold: one of them and Word refuses the file. */
const NOT_XML = /(?![\t\n\r])[\p{Cc}\p{Cs}\ufffe\uffff]/u;

describe('Word document', () => {
  it('uses the Title and Heading 1 styles for the title and the sections, in order', async () => {
    const parts = await word(sampleQuote());
    const paragraphs = wordParagraphs(documentXml(parts));
    const styled = (style: string) =>
      paragraphs.filter((paragraph) => paragraph.style === style).map((paragraph) => paragraph.text);
    expect(styled('Title')).toEqual([DOCUMENT_TITLE]);
    expect(styled('Heading1')).toEqual([EXECUTIVE_SUMMARY_HEADING, ...SECTION_HEADINGS]);
    expect(styled('Heading2')).toContain('2.1 Data integration by object');
    expect(parts['word/styles.xml']).toContain('w:styleId="Heading1"');
    // The schedule starts on a page of its own.
    expect(documentXml(parts)).toMatch(/<w:pageBreakBefore\/>[\s\S]*?6\. Resource Schedule/);
  });

  it('holds the client, the totals and every name as exact Unicode text', async () => {
    const text = wordParagraphs(documentXml(await word(sampleQuote())))
      .map((paragraph) => paragraph.text)
      .join('\n');
    expect(text).toContain(SAMPLE_CLIENT);
    expectSampleFiguresAndNames(text);
    expect(text).toContain('Subtotal (4 KPIs)');
  });

  it('draws the schedule as shaded week cells, the critical path in its own colour', async () => {
    const xml = documentXml(await word(sampleQuote()));
    const fills = (hex: string) => xml.split(`w:fill="${hex.slice(1).toUpperCase()}"`).length - 1;
    // 11 critical weeks (2 + 5 + 3 + 1) and 5 others, plus one legend swatch each.
    expect(fills(GANTT_COLORS.critical)).toBe(12);
    expect(fills(GANTT_COLORS.phase)).toBe(6);
    const legend = wordParagraphs(xml).find((paragraph) => paragraph.text.includes('Critical path'));
    expect(legend?.text.replace(/\s+/g, ' ').trim()).toBe('Phase Critical path');
  });

  it('numbers the next steps and the pages', async () => {
    const parts = await word(sampleQuote());
    const xml = documentXml(parts);
    const steps = xml.slice(xml.indexOf('8. Next Steps'));
    expect(steps.match(/<w:numPr>/g)).toHaveLength(4);
    const footer = Object.entries(parts).find(([path]) => path.startsWith('word/footer'))?.[1] ?? '';
    expect(footer).toMatch(/PAGE/);
    expect(footer).toContain(SAMPLE_CLIENT);
  });

  it('escapes markup in names and keeps them exactly as text', async () => {
    const xml = documentXml(await word(hostileQuote(), `${SCRIPT_CLIENT} & "Co"`));
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain('<img');
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const text = wordParagraphs(xml).map((paragraph) => paragraph.text);
    expect(text).toContain(`${SCRIPT_CLIENT} & "Co"`);
    // The KPI's line break becomes a space: a Word text run is one line.
    expect(text).toContain(HOSTILE_KPI.replace('\n', ' '));
  });

  it('keeps emoji and CJK as written and replaces what XML cannot hold', async () => {
    const client = '🚀 東京 Ωmega \u0000\u0007bell \ud800 lone';
    const parts = await word(sampleQuote(), client);
    for (const [path, content] of Object.entries(parts)) expect(NOT_XML.test(content), path).toBe(false);
    const text = wordParagraphs(documentXml(parts)).map((paragraph) => paragraph.text);
    expect(text).toContain('🚀 東京 Ωmega \ufffd\ufffdbell \ufffd lone');
  });
});
