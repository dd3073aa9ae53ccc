// The PDF page as the block renderers see it: the pdfkit document, the content
// box, and the one rule of flowing layout: before drawing something of known
// height, make room for it (a new page when it does not fit).
import type PDFDocument from 'pdfkit';
import { pdfText } from './pdf-font.js';

export const PDF_FONT = { regular: 'DejaVuSans', bold: 'DejaVuSans-Bold' } as const;

export const PDF_COLORS = { text: '#222222', muted: '#666666', accent: '#4c78a8', rule: '#d0d0d0', header: '#eef2f7' };

export interface PdfCanvas {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly width: number;
  readonly top: number;
  /** The lowest y content may reach; the footer lives below it. */
  readonly bottom: number;
}

export function createCanvas(doc: InstanceType<typeof PDFDocument>): PdfCanvas {
  const { margins, width, height } = doc.page;
  return {
    doc,
    left: margins.left,
    width: width - margins.left - margins.right,
    top: margins.top,
    bottom: height - margins.bottom,
  };
}

/** Starts a new page when `height` does not fit below the cursor; returns the y to draw at. */
export function ensureRoom(canvas: PdfCanvas, height: number): number {
  if (canvas.doc.y + height > canvas.bottom && canvas.doc.y > canvas.top) newPage(canvas);
  return canvas.doc.y;
}

export function newPage(canvas: PdfCanvas): void {
  canvas.doc.addPage();
  canvas.doc.x = canvas.left;
  canvas.doc.y = canvas.top;
}

export interface TextStyle {
  readonly size: number;
  readonly bold?: boolean;
  readonly color?: string;
}

export function setStyle(canvas: PdfCanvas, style: TextStyle): void {
  canvas.doc
    .font(style.bold === true ? PDF_FONT.bold : PDF_FONT.regular)
    .fontSize(style.size)
    .fillColor(style.color ?? PDF_COLORS.text);
}

/** Height of a text wrapped to `width` in the current style (filtered as it will be drawn). */
export function textHeight(canvas: PdfCanvas, text: string, width: number, lineGap = 0): number {
  return canvas.doc.heightOfString(pdfText(text), { width, lineGap });
}

/** Draws a text at a fixed place; the caller made room for it, so pdfkit never breaks the page on its own. */
export function drawText(
  canvas: PdfCanvas,
  text: string,
  x: number,
  y: number,
  options: {
    readonly width: number;
    readonly align?: 'left' | 'right' | 'center';
    readonly lineGap?: number;
    /** One line, cut with an ellipsis: for the footer, where a long name must not wrap. */
    readonly singleLine?: boolean;
  },
): void {
  const { width, align = 'left', lineGap = 0, singleLine = false } = options;
  const cut = singleLine ? { height: canvas.doc.currentLineHeight(), ellipsis: true } : {};
  canvas.doc.text(pdfText(text), x, y, { width, align, lineGap, ...cut });
}
