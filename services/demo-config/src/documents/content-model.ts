// The format-neutral document: what every renderer draws, so that PDF, Word,
// HTML and Markdown cannot drift apart. Text here is plain and unescaped; each
// renderer escapes or filters it for its own format.
import type { GanttChart } from './gantt.js';

export type Align = 'left' | 'right';

export interface TableColumn {
  readonly header: string;
  readonly align: Align;
  /** Relative width: the renderers that size columns share the page by these. */
  readonly weight: number;
}

export interface TableBlock {
  readonly kind: 'table';
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly string[])[];
  /** Subtotal and total rows, drawn emphasised after the body. */
  readonly totals: readonly (readonly string[])[];
}

/** Label/value pairs: the title block, key figures. */
export interface FactsBlock {
  readonly kind: 'facts';
  readonly items: readonly Fact[];
}

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export interface ParagraphBlock {
  readonly kind: 'paragraph';
  readonly text: string;
}

/** A short notice where a section has no data ("No infrastructure estimate is recorded."). */
export interface NoteBlock {
  readonly kind: 'note';
  readonly text: string;
}

export interface SubheadingBlock {
  readonly kind: 'subheading';
  readonly text: string;
}

export interface ListBlock {
  readonly kind: 'list';
  readonly ordered: boolean;
  readonly items: readonly string[];
}

export interface GanttBlock {
  readonly kind: 'gantt';
  readonly chart: GanttChart;
}

export type Block = TableBlock | FactsBlock | ParagraphBlock | NoteBlock | SubheadingBlock | ListBlock | GanttBlock;

export interface Section {
  readonly heading: string;
  readonly blocks: readonly Block[];
  /** The renderers that paginate start this section on a new page (the schedule, so its chart is whole). */
  readonly newPage?: boolean;
}

export interface DocumentContent {
  /** The document's title line, e.g. "Analytics Engine Proposal". */
  readonly title: string;
  /** The client as shown: its name, or its id when no name is known. */
  readonly client: string;
  /** Client, proposal, date, valid until, type, status: the title block under the title and the client. */
  readonly titleFacts: readonly Fact[];
  /** Named in the file's metadata and in the page footers. */
  readonly proposalId: string;
  /** The executive summary, then the eight numbered sections, in order. */
  readonly sections: readonly Section[];
}
