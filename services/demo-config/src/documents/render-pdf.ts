// The document as a PDF drawn by pdfkit: A4, DejaVu Sans embedded (subset), so
// accented Latin, Greek and Cyrillic print as written; tables that continue
// over pages with their header; the schedule drawn as vectors; page numbers.
import PDFDocument from 'pdfkit';
import type { Block, DocumentContent, Fact } from './content-model.js';
import {
  createCanvas,
  drawText,
  ensureRoom,
  newPage,
  PDF_COLORS,
  PDF_FONT,
  setStyle,
  textHeight,
  type PdfCanvas,
} from './pdf-canvas.js';
import { pdfFontSources, pdfText } from './pdf-font.js';
import { drawGantt } from './pdf-gantt.js';
import { drawTable } from './pdf-table.js';

/** Body text: its size and the gap between its lines, in points. */
const BODY = { size: 10, lineGap: 2 } as const;
const MARGIN = 56;
const FOOTER_ROOM = 24;

export async function renderPdf(content: DocumentContent, date: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_ROOM },
    bufferPages: true,
    // The document's date, never the clock: the same input gives the same file.
    info: {
      Title: pdfText(`${content.title}: ${content.client}`),
      Subject: pdfText(content.proposalId),
      Creator: 'Analytics Engine Demo Config',
      CreationDate: new Date(`${date}T00:00:00Z`),
    },
    lang: 'en',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });

  const fonts = pdfFontSources();
  doc.registerFont(PDF_FONT.regular, fonts.regular);
  doc.registerFont(PDF_FONT.bold, fonts.bold);
  const canvas = createCanvas(doc);

  titleBlock(canvas, content);
  for (const section of content.sections) {
    if (section.newPage === true && doc.y > canvas.top) newPage(canvas);
    heading(canvas, section.heading, leadRoom(canvas, section.blocks));
    section.blocks.forEach((item, index) => {
      block(canvas, item, section.blocks[index + 1]);
    });
  }
  footers(canvas, content);
  doc.end();
  return finished;
}

function titleBlock(canvas: PdfCanvas, content: DocumentContent): void {
  const { doc } = canvas;
  setStyle(canvas, { size: 24, bold: true });
  paragraphAt(canvas, content.title, 0);
  setStyle(canvas, { size: 16, color: PDF_COLORS.accent });
  paragraphAt(canvas, content.client, 0);
  doc.y += 6;
  rule(canvas, PDF_COLORS.accent, 1.5);
  doc.y += 10;
  factList(canvas, content.titleFacts);
  doc.y += 8;
}

/** Room the start of a section needs below its heading: its first paragraph and what that introduces. */
function leadRoom(canvas: PdfCanvas, blocks: readonly Block[]): number {
  const [first, second] = blocks;
  if (first?.kind !== 'paragraph' && first?.kind !== 'note') return 60;
  setStyle(canvas, { size: BODY.size });
  return textHeight(canvas, first.text, canvas.width, BODY.lineGap) + 8 + keepWith(second);
}

function heading(canvas: PdfCanvas, text: string, lead: number): void {
  const { doc } = canvas;
  setStyle(canvas, { size: 15, bold: true });
  // Never leave a heading alone at the foot of a page.
  ensureRoom(canvas, textHeight(canvas, text, canvas.width) + 24 + lead);
  if (doc.y > canvas.top) doc.y += 10;
  paragraphAt(canvas, text, 0);
  doc.y += 2;
  rule(canvas, PDF_COLORS.accent, 1);
  doc.y += 8;
}

/** Room kept below a paragraph for what it introduces, so an intro line never ends a page alone. */
function keepWith(next: Block | undefined): number {
  return next?.kind === 'table' || next?.kind === 'gantt' || next?.kind === 'list' ? 48 : 0;
}

function block(canvas: PdfCanvas, item: Block, next: Block | undefined): void {
  const { doc } = canvas;
  switch (item.kind) {
    case 'paragraph':
      setStyle(canvas, { size: BODY.size });
      paragraph(canvas, item.text, keepWith(next));
      return;
    case 'note':
      setStyle(canvas, { size: BODY.size, color: PDF_COLORS.muted });
      paragraph(canvas, item.text, keepWith(next));
      return;
    case 'subheading':
      setStyle(canvas, { size: 11.5, bold: true });
      ensureRoom(canvas, textHeight(canvas, item.text, canvas.width) + 50);
      doc.y += 4;
      paragraphAt(canvas, item.text, 4);
      return;
    case 'list':
      listItems(canvas, item.items, item.ordered);
      return;
    case 'facts':
      factList(canvas, item.items);
      doc.y += 6;
      return;
    case 'table':
      drawTable(canvas, item);
      return;
    case 'gantt':
      drawGantt(canvas, item.chart);
      return;
  }
}

/** A wrapped paragraph in the current style, on a new page when it does not fit. */
function paragraph(canvas: PdfCanvas, text: string, keep: number): void {
  ensureRoom(canvas, textHeight(canvas, text, canvas.width, BODY.lineGap) + keep);
  paragraphAt(canvas, text, 8);
}

function paragraphAt(canvas: PdfCanvas, text: string, spaceAfter: number): void {
  const { doc } = canvas;
  const height = textHeight(canvas, text, canvas.width, BODY.lineGap);
  const y = ensureRoom(canvas, height);
  drawText(canvas, text, canvas.left, y, { width: canvas.width, lineGap: BODY.lineGap });
  doc.x = canvas.left;
  doc.y = y + height + spaceAfter;
}

function listItems(canvas: PdfCanvas, items: readonly string[], ordered: boolean): void {
  const { doc } = canvas;
  const indent = 16;
  setStyle(canvas, { size: BODY.size });
  items.forEach((text, index) => {
    const height = textHeight(canvas, text, canvas.width - indent, BODY.lineGap);
    const y = ensureRoom(canvas, height);
    drawText(canvas, ordered ? `${index + 1}.` : '•', canvas.left + 2, y, { width: indent });
    drawText(canvas, text, canvas.left + indent, y, { width: canvas.width - indent, lineGap: BODY.lineGap });
    doc.x = canvas.left;
    doc.y = y + height + 4;
  });
  doc.y += 4;
}

function factList(canvas: PdfCanvas, items: readonly Fact[]): void {
  const { doc } = canvas;
  const labelWidth = 190;
  const valueWidth = canvas.width - labelWidth;
  for (const item of items) {
    setStyle(canvas, { size: BODY.size });
    const height = Math.max(textHeight(canvas, item.value, valueWidth), textHeight(canvas, item.label, labelWidth));
    const y = ensureRoom(canvas, height);
    drawText(canvas, item.value, canvas.left + labelWidth, y, { width: valueWidth });
    setStyle(canvas, { size: BODY.size, bold: true });
    drawText(canvas, item.label, canvas.left, y, { width: labelWidth - 8 });
    doc.x = canvas.left;
    doc.y = y + height + 3;
  }
}

function rule(canvas: PdfCanvas, color: string, width: number): void {
  const { doc } = canvas;
  doc
    .moveTo(canvas.left, doc.y)
    .lineTo(canvas.left + canvas.width, doc.y)
    .lineWidth(width)
    .strokeColor(color)
    .stroke();
}

/** "prop-001 · client" and "Page 2 of 7" under every page, written once all pages exist. */
function footers(canvas: PdfCanvas, content: DocumentContent): void {
  const { doc } = canvas;
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index += 1) {
    doc.switchToPage(range.start + index);
    // Below the bottom margin pdfkit would start a new page for the text: lift the margin while writing.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - 4;
    setStyle(canvas, { size: 8, color: PDF_COLORS.muted });
    const line = { width: canvas.width, singleLine: true };
    const owner = `${content.proposalId} · ${content.client}`;
    drawText(canvas, owner, canvas.left, y, { ...line, width: canvas.width * 0.7 });
    drawText(canvas, `Page ${index + 1} of ${range.count}`, canvas.left, y, { ...line, align: 'right' });
    doc.page.margins.bottom = bottom;
  }
}
