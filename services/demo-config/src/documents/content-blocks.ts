// Small constructors for the content model, so the section builders read as
// the document they describe.
import type { Align, Block, Fact, TableBlock, TableColumn } from './content-model.js';

export function column(header: string, align: Align = 'left', weight = 1): TableColumn {
  return { header, align, weight };
}

export function table(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  totals: readonly (readonly string[])[] = [],
): TableBlock {
  return { kind: 'table', columns, rows, totals };
}

/** A column of a table with a row per item: its header, and the cell it shows for an item. */
export type ItemColumn<T> = readonly [TableColumn, (item: T) => string];

/** A table with a row per item; each column names its cell, so a header and its cells cannot drift apart. */
export function itemTable<T>(
  items: readonly T[],
  columns: readonly ItemColumn<T>[],
  totals: readonly (readonly string[])[] = [],
): TableBlock {
  const rows = items.map((item) => columns.map(([, cell]) => cell(item)));
  return table(
    columns.map(([header]) => header),
    rows,
    totals,
  );
}

export function paragraph(text: string): Block {
  return { kind: 'paragraph', text };
}

export function note(text: string): Block {
  return { kind: 'note', text };
}

export function subheading(text: string): Block {
  return { kind: 'subheading', text };
}

export function list(items: readonly string[], ordered = false): Block {
  return { kind: 'list', ordered, items };
}

export function facts(items: readonly Fact[]): Block {
  return { kind: 'facts', items };
}

export function fact(label: string, value: string): Fact {
  return { label, value };
}

/** Codes such as "batch_conformed" or "dynamic_rbac" as words, with the reference's acronyms kept. */
export function displayCode(code: string): string {
  if (!/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/.test(code)) return code;
  const words = code.split(/[_-]/).map((word) => ACRONYMS.get(word) ?? word);
  const first = words[0] ?? '';
  words[0] = first === first.toUpperCase() ? first : first.charAt(0).toUpperCase() + first.slice(1);
  // "non conformed" reads as "non-conformed".
  return words.join(' ').replace(/\b([Nn]on) /g, '$1-');
}

const ACRONYMS = new Map(
  ['otb', 'rbac', 'api', 'kpi', 'aws', 'gcp', 'sap', 'crm', 'erp', 'scor', 'uat', 'tm', 'sql', 'vpn'].map(
    (word) => [word, word === 'tm' ? 'T&M' : word.toUpperCase()] as const,
  ),
);
