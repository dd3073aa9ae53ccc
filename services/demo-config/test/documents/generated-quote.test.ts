// The renderers against the real generator: the reference questionnaire priced
// with the default price book renders in every format with the quote's own
// figures, phases and names (the hand-made fixtures could drift from it). With
// PROPOSAL_PNG_DIR set, its first page and schedule page stay there as PNGs
// (proposal-page-1.png, proposal-schedule.png), the pictures the README shows.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import type { DocumentInput } from '../../src/documents/document-input.js';
import { GANTT_COLORS } from '../../src/documents/gantt.js';
import { SECTION_HEADINGS } from '../../src/documents/headings.js';
import { renderDocument } from '../../src/documents/render-document.js';
import {
  defaultPriceBook,
  formatUsd,
  formatUsdRange,
  generateQuote,
  questionnaireExample,
  questionnaireSchema,
} from '../../src/proposal-generator/index.js';
import { countColour, decodePng, inOrder, pdfPagePng, pdfPages, unzipDocx, wordParagraphs } from './read-back.js';

const quote = generateQuote(questionnaireSchema.parse(questionnaireExample), defaultPriceBook, { today: '2026-03-02' });
const CLIENT = 'Nordwind Logística Ærø';
const input: DocumentInput = {
  proposal: {
    proposal_id: 'prop-001',
    client_id: 'nordwind-001',
    client_name: CLIENT,
    proposal_type: 'implementation',
    status: 'draft',
  },
  quote,
  date: quote.quoted_on,
};

const figures = [
  formatUsdRange(quote.totals.year1),
  formatUsd(quote.totals.yearly_recurring),
  formatUsdRange(quote.totals.term_total),
  formatUsdRange(quote.implementation.total),
  formatUsd(quote.licensing.annual_total),
];

describe('documents of a generated quote', () => {
  it('is the reference case: $96,070 a year recurring', () => {
    expect(formatUsd(quote.totals.yearly_recurring)).toBe('$96,070');
  });

  it('renders as PDF with the quote’s totals, names and a drawn schedule', async () => {
    const pdf = (await renderDocument('pdf', input)).body;
    const pages = pdfPages(pdf);
    const text = pages.join('\n');
    expect(inOrder(text, [CLIENT, ...SECTION_HEADINGS])).toBe(true);
    for (const figure of figures) expect(text).toContain(figure);
    for (const line of quote.implementation.kpi_implementation) expect(text).toContain(line.name);
    const schedule = pages.findIndex((page) => page.includes('6. Resource Schedule')) + 1;
    const image = decodePng(pdfPagePng(pdf, schedule));
    expect(countColour(image, GANTT_COLORS.critical) + countColour(image, GANTT_COLORS.phase)).toBeGreaterThan(1_000);
  });

  it('renders as Word, HTML and Markdown with the same figures and one bar per phase', async () => {
    const docx = unzipDocx((await renderDocument('docx', input)).body)['word/document.xml'] ?? '';
    const wordText = wordParagraphs(docx)
      .map((paragraph) => paragraph.text)
      .join('\n');
    const html = parse((await renderDocument('html', input)).body.toString('utf8'));
    const markdown = (await renderDocument('md', input)).body.toString('utf8');
    for (const text of [wordText, html.text, markdown]) {
      for (const figure of figures) expect(text).toContain(figure);
      expect(text).toContain('Batch, conformed / cleansed');
    }
    expect(html.querySelectorAll('rect.bar')).toHaveLength(quote.schedule.phases.length);
    const critical = quote.schedule.phases.filter((phase) => phase.critical);
    expect(html.querySelectorAll('rect.bar.critical')).toHaveLength(critical.length);
  });

  it('renders the first page and the schedule page as small PNGs that look right', async () => {
    const document = (await renderDocument('pdf', input)).body;
    const kept = process.env.PROPOSAL_PNG_DIR;
    const dir = kept ?? mkdtempSync(join(tmpdir(), 'proposal-png-'));
    mkdirSync(dir, { recursive: true });
    try {
      const page = pdfPages(document).findIndex((text) => text.includes('6. Resource Schedule')) + 1;
      for (const [name, number] of [
        ['proposal-page-1.png', 1],
        ['proposal-schedule.png', page],
      ] as const) {
        const png = pdfPagePng(document, number, 60);
        const file = join(dir, name);
        writeFileSync(file, png);
        expect(statSync(file).size).toBeLessThan(150 * 1024);
        const image = decodePng(png);
        // A4 (595 x 842 pt) at 60 dpi.
        expect(Math.abs(image.width - 496)).toBeLessThanOrEqual(1);
        expect(image.height).toBe(702);
      }
    } finally {
      if (kept === undefined) rmSync(dir, { recursive: true, force: true });
    }
  });
});
