// The document as a Word file (docx): Title and Heading 1/2 styles (so Word's
// navigation pane and table of contents see the sections), real tables with a
// repeating header row, the schedule as a shaded week table, page numbers.
import {
  Document,
  Footer,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  type DocxBlock,
  type DocxCell,
  type DocxFooter,
  type DocxRow,
  type DocxRun,
  type DocxTable,
} from './docx-api.js';
import type { Block, DocumentContent, Fact, TableBlock } from './content-model.js';
import { ganttTable } from './docx-gantt.js';
import { docxText } from './docx-text.js';
import { totalRowSpans } from './table-spans.js';

/** A4 in twips, with 2 cm margins. */
const PAGE = { width: 11_906, height: 16_838, margin: 1_134 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const FONT = 'Arial';
const ORDERED = 'ordered-steps';
const TABLE_TEXT = 17;
const FOOTER_TEXT = { size: 16, color: '666666' };
const TOTAL_FILL = 'F6F6F6';
const CELL_MARGINS = { top: 40, bottom: 40, left: 80, right: 80 };
const STYLE = { cell: 'TableText', cellRight: 'TableTextRight' } as const;

type Child = DocxBlock;

export async function renderDocx(content: DocumentContent): Promise<Buffer> {
  const children: Child[] = [
    new Paragraph({ heading: 'Title', children: [run(content.title)] }),
    new Paragraph({ spacing: { after: 240 }, children: [run(content.client, { size: 32, color: '4C78A8' })] }),
    factTable(content.titleFacts),
  ];
  let lists = 0;
  for (const section of content.sections) {
    children.push(
      new Paragraph({
        heading: 'Heading1',
        pageBreakBefore: section.newPage === true,
        children: [run(section.heading)],
      }),
    );
    for (const item of section.blocks) {
      // Each ordered list restarts at 1: its own numbering instance.
      if (item.kind === 'list' && item.ordered) lists += 1;
      children.push(...block(item, lists));
    }
  }
  const document = new Document({
    creator: 'Analytics Engine Demo Config',
    title: docxText(`${content.title}: ${content.client}`),
    subject: docxText(content.proposalId),
    lastModifiedBy: 'Analytics Engine Demo Config',
    styles: {
      default: {
        document: { run: { font: FONT, size: 20 } },
        title: { run: { font: FONT, size: 48, bold: true, color: '222222' } },
        heading1: {
          run: { font: FONT, size: 30, bold: true, color: '222222' },
          paragraph: { spacing: { before: 360, after: 120 } },
        },
        heading2: {
          run: { font: FONT, size: 23, bold: true, color: '333333' },
          paragraph: { spacing: { before: 240, after: 80 } },
        },
      },
      paragraphStyles: [
        { id: STYLE.cell, name: 'Table Text', basedOn: 'Normal', quickFormat: true, run: { size: TABLE_TEXT } },
        {
          id: STYLE.cellRight,
          name: 'Table Text Right',
          basedOn: STYLE.cell,
          quickFormat: true,
          paragraph: { alignment: 'right' },
        },
      ],
    },
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: [{ level: 0, format: 'decimal', text: '%1.', alignment: 'start' }],
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
          },
        },
        footers: { default: footer(content) },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

function block(item: Block, listInstance: number): Child[] {
  switch (item.kind) {
    case 'paragraph':
      return [new Paragraph({ spacing: { after: 120 }, children: [run(item.text)] })];
    case 'note':
      return [
        new Paragraph({ spacing: { after: 120 }, children: [run(item.text, { italics: true, color: '666666' })] }),
      ];
    case 'subheading':
      return [new Paragraph({ heading: 'Heading2', keepNext: true, children: [run(item.text)] })];
    case 'list':
      return item.items.map(
        (text) =>
          new Paragraph({
            ...(item.ordered
              ? { numbering: { reference: ORDERED, level: 0, instance: listInstance } }
              : { bullet: { level: 0 } }),
            spacing: { after: 60 },
            children: [run(text)],
          }),
      );
    case 'facts':
      return [factTable(item.items), spacer()];
    case 'table':
      return [dataTable(item), spacer()];
    case 'gantt':
      return ganttTable(item.chart, CONTENT_WIDTH);
  }
}

function run(text: string, style: { size?: number; bold?: boolean; italics?: boolean; color?: string } = {}): DocxRun {
  return new TextRun({ text: docxText(text), ...style });
}

function spacer(): DocxBlock {
  return new Paragraph({ spacing: { after: 120 }, children: [] });
}

/**
 * A table cell. Size and alignment come from a paragraph style and margins
 * from the table, so a cell is a few elements: docx's cost grows with every
 * element, and a quote of 200 KPIs has over a thousand cells.
 */
function cell(text: string, options: { bold?: boolean; right?: boolean; fill?: string; span?: number } = {}): DocxCell {
  return new TableCell({
    ...(options.span === undefined || options.span === 1 ? {} : { columnSpan: options.span }),
    ...(options.fill === undefined ? {} : { shading: { type: 'clear', color: 'auto', fill: options.fill } }),
    children: [
      new Paragraph({
        style: options.right === true ? STYLE.cellRight : STYLE.cell,
        children: [new TextRun({ text: docxText(text), ...(options.bold === true ? { bold: true } : {}) })],
      }),
    ],
  });
}

function dataTable(table: TableBlock): DocxTable {
  const totalWeight = table.columns.reduce((sum, column) => sum + column.weight, 0);
  const widths = table.columns.map((column) => Math.floor((CONTENT_WIDTH * column.weight) / totalWeight));
  const right = table.columns.map((column) => column.align === 'right');
  const row = (cells: readonly string[], options: { bold?: boolean; fill?: string; header?: boolean } = {}): DocxRow =>
    new TableRow({
      ...(options.header === true ? { tableHeader: true } : {}),
      cantSplit: true,
      children: cells.map((text, index) =>
        cell(text, { right: right[index] ?? false, bold: options.bold ?? false, ...pick(options.fill) }),
      ),
    });
  const totalRow = (cells: readonly string[]): DocxRow =>
    new TableRow({
      cantSplit: true,
      children: totalRowSpans(cells, table.columns).map(({ text, column, span }) =>
        cell(text, { right: right[column] ?? false, bold: true, fill: TOTAL_FILL, span }),
      ),
    });
  return new Table({
    layout: 'fixed',
    width: { size: CONTENT_WIDTH, type: 'dxa' },
    columnWidths: widths,
    margins: CELL_MARGINS,
    rows: [
      row(
        table.columns.map((column) => column.header),
        { bold: true, fill: 'EEF2F7', header: true },
      ),
      ...table.rows.map((cells) => row(cells)),
      ...table.totals.map(totalRow),
    ],
  });
}

function pick(fill: string | undefined): { fill?: string } {
  return fill === undefined ? {} : { fill };
}

function factTable(items: readonly Fact[]): DocxTable {
  const label = 2_600;
  const none = { style: 'none' as const, size: 0, color: 'FFFFFF' };
  const borders = { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none };
  return new Table({
    layout: 'fixed',
    width: { size: CONTENT_WIDTH, type: 'dxa' },
    columnWidths: [label, CONTENT_WIDTH - label],
    borders,
    rows: items.map(
      (item) =>
        new TableRow({
          children: [
            new TableCell({
              width: { size: label, type: 'dxa' },
              children: [new Paragraph({ children: [run(item.label, { bold: true })] })],
            }),
            new TableCell({
              width: { size: CONTENT_WIDTH - label, type: 'dxa' },
              children: [new Paragraph({ children: [run(item.value)] })],
            }),
          ],
        }),
    ),
  });
}

function footer(content: DocumentContent): DocxFooter {
  return new Footer({
    children: [
      new Paragraph({
        alignment: 'right',
        children: [
          new TextRun({ text: docxText(`${content.proposalId} · ${content.client} · Page `), ...FOOTER_TEXT }),
          new TextRun({ children: ['CURRENT'], ...FOOTER_TEXT }),
          new TextRun({ text: ' of ', ...FOOTER_TEXT }),
          new TextRun({ children: ['TOTAL_PAGES'], ...FOOTER_TEXT }),
        ],
      }),
    ],
  });
}
