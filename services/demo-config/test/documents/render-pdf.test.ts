import { describe, expect, it } from 'vitest';
import { GANTT_COLORS } from '../../src/documents/gantt.js';
import { DOCUMENT_TITLE, EXECUTIVE_SUMMARY_HEADING, SECTION_HEADINGS } from '../../src/documents/headings.js';
import { pdfText } from '../../src/documents/pdf-font.js';
import { renderDocument } from '../../src/documents/render-document.js';
import { countColour, decodePng, inOrder, pdfPagePng, pdfPages } from './read-back.js';
import { expectSampleFiguresAndNames } from './sample-expectations.js';
import { documentInput, largeQuote, SAMPLE_CLIENT, sampleQuote } from './sample-quote.js';

async function pdf(...args: Parameters<typeof documentInput>): Promise<Buffer> {
  return (await renderDocument('pdf', documentInput(...args))).body;
}

function schedulePage(pages: readonly string[]): number {
  return pages.findIndex((page) => page.includes('6. Resource Schedule')) + 1;
}

describe('PDF document', () => {
  it('reads back with the client, the sections in order, the totals and every name as written', async () => {
    const document = await pdf(sampleQuote());
    expect(document.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfPages(document).join('\n');
    expect(inOrder(text, [DOCUMENT_TITLE, SAMPLE_CLIENT, EXECUTIVE_SUMMARY_HEADING, ...SECTION_HEADINGS])).toBe(true);
    expectSampleFiguresAndNames(text);
    expect(text).toContain('Valid until');
    expect(text).toContain('2026-01-14');
  });

  it('is the same file for the same input: the date is an input, never the clock', async () => {
    expect((await pdf(sampleQuote())).equals(await pdf(sampleQuote()))).toBe(true);
  });

  it('renders documents side by side that share the parsed fonts, each with its own text', async () => {
    const clients = ['Ἀθῆναι Ltd', 'Новосибирск АО', 'Łódź sp. z o.o.'];
    const documents = await Promise.all(clients.map((client) => pdf(sampleQuote(), client)));
    documents.forEach((document, index) => {
      expect(pdfPages(document)[0]).toContain(clients[index]);
    });
  });

  it('draws the schedule: the Gantt page holds bars in both colours, a text-only page none', async () => {
    const document = await pdf(sampleQuote());
    const pages = pdfPages(document);
    const page = schedulePage(pages);
    expect(page).toBeGreaterThan(1);
    const chart = decodePng(pdfPagePng(document, page));
    // At 50 dpi a bar-week is about 21 x 10 pixels: 11 critical weeks and 5 others.
    expect(countColour(chart, GANTT_COLORS.critical)).toBeGreaterThan(1_000);
    expect(countColour(chart, GANTT_COLORS.phase)).toBeGreaterThan(500);
    const first = decodePng(pdfPagePng(document, 1));
    expect(countColour(first, GANTT_COLORS.critical)).toBe(0);
  });

  it('numbers its pages and repeats a long table’s header on every page it continues on', async () => {
    const pages = pdfPages(await pdf(largeQuote()));
    expect(pages.length).toBeGreaterThan(6);
    pages.forEach((page, index) => {
      expect(page).toContain(`Page ${index + 1} of ${pages.length}`);
    });
    const objectPages = pages.filter((page) => page.includes('Source system'));
    expect(objectPages.length).toBeGreaterThan(1);
    const text = pages.join('\n');
    expect(text).toContain('object 50');
    expect(text).toContain('KPI-200');
    expect(text).toContain('Subtotal (200 KPIs)');
  });

  it('never breaks on characters the font lacks: emoji and CJK become U+FFFD, the rest stays', async () => {
    const client = 'Ωmega Δ 🚀 東京 Café 👩‍💻 Zoë\u0000\tend';
    const text = pdfPages(await pdf(sampleQuote(), client)).join('\n');
    expect(text).toContain('Ωmega Δ \ufffd \ufffd\ufffd Café \ufffd Zoë end');
    expect(pdfText('👍🏽 ok')).toBe('\ufffd ok');
    expect(pdfText('e\u0301')).toBe('é');
  });
});
