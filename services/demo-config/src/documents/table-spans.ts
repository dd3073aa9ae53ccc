// A total row such as ["Subtotal (200 KPIs)", "", "", "101", "$10,150"] reads
// best with its label running over the empty cells after it: the formats
// that can merge cells draw it so, instead of wrapping the label in one column.
// Only a left-aligned label spreads; a figure stays in its own column.
import type { TableColumn } from './content-model.js';

export interface CellSpan {
  readonly text: string;
  /** Index of the first column covered. */
  readonly column: number;
  readonly span: number;
}

export function totalRowSpans(cells: readonly string[], columns: readonly TableColumn[]): CellSpan[] {
  const spans: CellSpan[] = [];
  cells.forEach((text, column) => {
    const last = spans.at(-1);
    const spreads = last !== undefined && last.text !== '' && columns[last.column]?.align === 'left';
    if (text === '' && spreads) spans[spans.length - 1] = { ...last, span: last.span + 1 };
    else spans.push({ text, column, span: 1 });
  });
  return spans;
}
