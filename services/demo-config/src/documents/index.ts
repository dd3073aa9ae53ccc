// The proposal documents: a proposal (and its quote) rendered as PDF, Word,
// HTML or Markdown from one content model.
export { buildDocumentContent } from './document-content.js';
export type { DocumentContent } from './content-model.js';
export type { DocumentInput, DocumentProposal } from './document-input.js';
export { EXECUTIVE_SUMMARY_HEADING, SECTION_HEADINGS } from './headings.js';
export {
  DOCUMENT_FORMAT_NAMES,
  DOCUMENT_FORMATS,
  isDocumentFormat,
  renderDocument,
  type DocumentFormat,
  type RenderedDocument,
} from './render-document.js';
export { renderDocx } from './render-docx.js';
export { renderHtml } from './render-html.js';
export { renderMarkdown } from './render-markdown.js';
export { renderPdf } from './render-pdf.js';
