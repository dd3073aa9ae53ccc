// The document as one self-contained HTML5 page: inline CSS, the schedule as
// inline SVG, no script and no external resource. Every text is escaped.
import type { Block, DocumentContent, Fact, TableBlock } from './content-model.js';
import { ganttSvg } from './html-gantt.js';
import { escapeHtml as esc } from './html-escape.js';
import { totalRowSpans } from './table-spans.js';

const STYLE = `
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#222;margin:0;background:#f4f5f7}
main{max-width:900px;margin:0 auto;padding:40px 48px;background:#fff}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:20px;margin:36px 0 12px;border-bottom:2px solid #4c78a8;padding-bottom:4px}
h3{font-size:15px;margin:22px 0 8px}.client{font-size:20px;color:#4c78a8;margin:0 0 18px}
table{border-collapse:collapse;width:100%;margin:8px 0 14px;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid #e2e2e2;text-align:left;vertical-align:top}
th{background:#eef2f7}td.num,th.num{text-align:right;white-space:nowrap}
tfoot td{font-weight:bold;border-top:2px solid #999}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:8px 0 14px}
dl.facts dt{font-weight:bold}dl.facts dd{margin:0}.note{color:#666;font-style:italic}
.chart{overflow-x:auto;margin:8px 0}
@media print{body{background:#fff}main{padding:0}section.new-page{break-before:page}}
`;

export function renderHtml(content: DocumentContent): string {
  const sections = content.sections.map(
    (section) =>
      `<section${section.newPage === true ? ' class="new-page"' : ''}><h2>${esc(section.heading)}</h2>\n` +
      `${section.blocks.map(block).join('\n')}\n</section>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`${content.title}: ${content.client} (${content.proposalId})`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${esc(content.title)}</h1>`,
    `<p class="client">${esc(content.client)}</p>`,
    factList(content.titleFacts),
    '</header>',
    ...sections,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function block(item: Block): string {
  switch (item.kind) {
    case 'paragraph':
      return `<p>${esc(item.text)}</p>`;
    case 'note':
      return `<p class="note">${esc(item.text)}</p>`;
    case 'subheading':
      return `<h3>${esc(item.text)}</h3>`;
    case 'list': {
      const tag = item.ordered ? 'ol' : 'ul';
      return `<${tag}>${item.items.map((text) => `<li>${esc(text)}</li>`).join('')}</${tag}>`;
    }
    case 'facts':
      return factList(item.items);
    case 'table':
      return table(item);
    case 'gantt':
      return `<figure class="chart">${ganttSvg(item.chart)}</figure>`;
  }
}

function factList(items: readonly Fact[]): string {
  const pairs = items.map((item) => `<dt>${esc(item.label)}</dt><dd>${esc(item.value)}</dd>`);
  return `<dl class="facts">${pairs.join('')}</dl>`;
}

/** A total row, its label spread over the empty cells after it. */
function totalRow(cells: readonly string[], item: TableBlock): string {
  const tds = totalRowSpans(cells, item.columns).map(({ text, column, span }) => {
    const align = item.columns[column]?.align === 'right' ? ' class="num"' : '';
    return `<td${align}${span > 1 ? ` colspan="${span}"` : ''}>${esc(text)}</td>`;
  });
  return `<tr>${tds.join('')}</tr>`;
}

function table(item: TableBlock): string {
  const align = item.columns.map((column) => (column.align === 'right' ? ' class="num"' : ''));
  const row = (cells: readonly string[], tag: 'td' | 'th'): string =>
    `<tr>${cells.map((cell, index) => `<${tag}${align[index] ?? ''}>${esc(cell)}</${tag}>`).join('')}</tr>`;
  const head = `<thead>${row(
    item.columns.map((column) => column.header),
    'th',
  )}</thead>`;
  const body = `<tbody>${item.rows.map((cells) => row(cells, 'td')).join('\n')}</tbody>`;
  const totals = item.totals.map((cells) => totalRow(cells, item)).join('');
  const foot = item.totals.length === 0 ? '' : `<tfoot>${totals}</tfoot>`;
  return `<table>${head}${body}${foot}</table>`;
}
