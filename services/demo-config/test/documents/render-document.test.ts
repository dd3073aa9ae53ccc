import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { EXECUTIVE_SUMMARY_HEADING, SECTION_HEADINGS } from '../../src/documents/headings.js';
import {
  DOCUMENT_FORMAT_NAMES,
  DOCUMENT_FORMATS,
  isDocumentFormat,
  renderDocument,
  type DocumentFormat,
} from '../../src/documents/render-document.js';
import { inOrder, pdfPages, unzipDocx, wordParagraphs } from './read-back.js';
import { documentInput, handEnteredInput, sampleQuote } from './sample-quote.js';

const HEADINGS = [EXECUTIVE_SUMMARY_HEADING, ...SECTION_HEADINGS];

/** The document's text as its reader would get it, for any format. */
function readBack(format: DocumentFormat, body: Buffer): string {
  switch (format) {
    case 'pdf':
      return pdfPages(body).join('\n');
    case 'docx':
      return wordParagraphs(unzipDocx(body)['word/document.xml'] ?? '')
        .map((paragraph) => paragraph.text)
        .join('\n');
    case 'html':
      return parse(body.toString('utf8')).text;
    case 'md':
      return body.toString('utf8');
  }
}

describe('renderDocument', () => {
  it('knows the four formats with their content types and file extensions', () => {
    expect(DOCUMENT_FORMAT_NAMES).toEqual(['pdf', 'docx', 'html', 'md']);
    const word = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(DOCUMENT_FORMATS.docx.contentType).toBe(word);
    expect(isDocumentFormat('md')).toBe(true);
    expect(isDocumentFormat('txt')).toBe(false);
    expect(isDocumentFormat('toString')).toBe(false);
  });

  it.each(DOCUMENT_FORMAT_NAMES)('renders %s with its content type, named after the proposal', async (format) => {
    const rendered = await renderDocument(format, documentInput(sampleQuote()));
    expect(rendered.format).toBe(format);
    expect(rendered.contentType).toBe(DOCUMENT_FORMATS[format].contentType);
    expect(rendered.fileName).toBe(`prop-001.${DOCUMENT_FORMATS[format].extension}`);
    const magic = { pdf: '%PDF-', docx: 'PK\u0003\u0004', html: '<!DOCTYPE html>', md: '# ' }[format];
    expect(rendered.body.subarray(0, magic.length).toString('latin1')).toBe(magic);
    expect(inOrder(readBack(format, rendered.body), HEADINGS)).toBe(true);
  });

  it.each(DOCUMENT_FORMAT_NAMES)('renders a hand-entered proposal (no quote) as %s', async (format) => {
    const rendered = await renderDocument(format, handEnteredInput());
    expect(rendered.fileName).toBe(`prop-002.${DOCUMENT_FORMATS[format].extension}`);
    const text = readBack(format, rendered.body);
    expect(inOrder(text, ['test-client-001', ...HEADINGS])).toBe(true);
    for (const expected of ['$48,000', '$18,000', 'Discovery', 'Lead consultant', 'No licensing quote is recorded']) {
      expect(text).toContain(expected);
    }
  });
});
