// One entry point for a route: a format name in, the bytes, their content
// type and the file name out. Every format renders the same content model.
import { buildDocumentContent } from './document-content.js';
import type { DocumentContent } from './content-model.js';
import type { DocumentInput } from './document-input.js';

export const DOCUMENT_FORMATS = {
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
  md: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
} as const;

export type DocumentFormat = keyof typeof DOCUMENT_FORMATS;

export const DOCUMENT_FORMAT_NAMES = Object.keys(DOCUMENT_FORMATS) as DocumentFormat[];

export interface RenderedDocument {
  readonly format: DocumentFormat;
  readonly contentType: string;
  /** The proposal id with the format's extension, e.g. prop-001.pdf. */
  readonly fileName: string;
  readonly body: Buffer;
}

export function isDocumentFormat(value: string): value is DocumentFormat {
  return Object.hasOwn(DOCUMENT_FORMATS, value);
}

export async function renderDocument(format: DocumentFormat, input: DocumentInput): Promise<RenderedDocument> {
  const content = buildDocumentContent(input);
  const { contentType, extension } = DOCUMENT_FORMATS[format];
  const body = await render(format, content, input.date);
  return { format, contentType, fileName: `${input.proposal.proposal_id}.${extension}`, body };
}

// Each renderer is loaded on its first use: pdfkit, docx and the fonts cost a
// second and a half of a service's start, and most processes never render.
async function render(format: DocumentFormat, content: DocumentContent, date: string): Promise<Buffer> {
  switch (format) {
    case 'pdf':
      return (await import('./render-pdf.js')).renderPdf(content, date);
    case 'docx':
      return (await import('./render-docx.js')).renderDocx(content);
    case 'html':
      return Buffer.from((await import('./render-html.js')).renderHtml(content), 'utf8');
    case 'md':
      return Buffer.from((await import('./render-markdown.js')).renderMarkdown(content), 'utf8');
  }
}
