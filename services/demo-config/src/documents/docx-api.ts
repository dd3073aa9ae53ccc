// The part of the docx package this service uses, typed here. docx 9.7.0
// ships declarations with extension-less relative imports, which NodeNext
// resolution cannot follow, so every export looks missing to TypeScript
// (dolanmiu/docx#3453; 9.7.0 is pinned for its Node 20 nanoid). The runtime
// is the package's own; these types cover only the options passed below, with
// the names and values docx documents.
import * as runtime from 'docx';

declare const opaque: unique symbol;
interface Opaque<Name extends string> {
  readonly [opaque]: Name;
}

export type DocxParagraph = Opaque<'Paragraph'>;
export type DocxTable = Opaque<'Table'>;
export type DocxRun = Opaque<'TextRun'>;
export type DocxRow = Opaque<'TableRow'>;
export type DocxCell = Opaque<'TableCell'>;
export type DocxFooter = Opaque<'Footer'>;
export type DocxDocument = Opaque<'Document'>;
export type DocxBlock = DocxParagraph | DocxTable;

type Heading = 'Title' | 'Heading1' | 'Heading2';
type Alignment = 'left' | 'right' | 'center' | 'start';
type PageField = 'CURRENT' | 'TOTAL_PAGES';

export interface Shading {
  readonly type: 'clear';
  readonly color: string;
  readonly fill: string;
}

export interface Border {
  readonly style: 'single' | 'none';
  /** Eighths of a point. */
  readonly size: number;
  readonly color: string;
}

interface Width {
  readonly size: number;
  readonly type: 'dxa';
}

interface Sides<T> {
  readonly top?: T;
  readonly bottom?: T;
  readonly left?: T;
  readonly right?: T;
}

export interface RunOptions {
  readonly text?: string;
  /** Fields Word fills in, such as the page number. */
  readonly children?: readonly PageField[];
  /** Half-points. */
  readonly size?: number;
  readonly bold?: boolean;
  readonly italics?: boolean;
  readonly color?: string;
  readonly shading?: Shading;
}

export interface ParagraphOptions {
  readonly children?: readonly DocxRun[];
  readonly heading?: Heading;
  readonly alignment?: Alignment;
  readonly spacing?: { readonly before?: number; readonly after?: number };
  readonly keepNext?: boolean;
  readonly pageBreakBefore?: boolean;
  readonly bullet?: { readonly level: number };
  readonly numbering?: { readonly reference: string; readonly level: number; readonly instance?: number };
  /** A paragraph style id from DocumentOptions.styles.paragraphStyles. */
  readonly style?: string;
}

export interface CellOptions {
  readonly children: readonly DocxBlock[];
  readonly width?: Width;
  readonly shading?: Shading;
  readonly margins?: Sides<number>;
  readonly borders?: Sides<Border>;
  readonly columnSpan?: number;
}

export interface RowOptions {
  readonly children: readonly DocxCell[];
  readonly tableHeader?: boolean;
  readonly cantSplit?: boolean;
}

export interface TableOptions {
  readonly rows: readonly DocxRow[];
  readonly width?: Width;
  readonly columnWidths?: readonly number[];
  readonly layout?: 'fixed';
  /** Default cell margins (twips) for every cell: cheaper than per-cell margins on big tables. */
  readonly margins?: Sides<number>;
  readonly borders?: Sides<Border> & { readonly insideHorizontal?: Border; readonly insideVertical?: Border };
}

interface RunStyle {
  readonly run?: { readonly font?: string; readonly size?: number; readonly bold?: boolean; readonly color?: string };
  readonly paragraph?: {
    readonly spacing?: { readonly before?: number; readonly after?: number };
    readonly alignment?: Alignment;
  };
}

export interface ParagraphStyle extends RunStyle {
  readonly id: string;
  readonly name: string;
  readonly basedOn?: string;
  readonly quickFormat?: boolean;
}

export interface DocumentOptions {
  readonly creator: string;
  readonly title?: string;
  readonly subject?: string;
  readonly lastModifiedBy?: string;
  readonly styles?: {
    readonly default?: {
      readonly document?: RunStyle;
      readonly title?: RunStyle;
      readonly heading1?: RunStyle;
      readonly heading2?: RunStyle;
    };
    readonly paragraphStyles?: readonly ParagraphStyle[];
  };
  readonly numbering?: {
    readonly config: readonly {
      readonly reference: string;
      readonly levels: readonly {
        readonly level: number;
        readonly format: 'decimal';
        readonly text: string;
        readonly alignment: Alignment;
      }[];
    }[];
  };
  readonly sections: readonly {
    readonly properties?: {
      readonly page?: {
        readonly size?: { readonly width: number; readonly height: number };
        readonly margin?: Sides<number>;
      };
    };
    readonly footers?: { readonly default: DocxFooter };
    readonly children: readonly DocxBlock[];
  }[];
}

interface DocxApi {
  readonly Document: new (options: DocumentOptions) => DocxDocument;
  readonly Paragraph: new (options: ParagraphOptions) => DocxParagraph;
  readonly TextRun: new (options: RunOptions) => DocxRun;
  readonly Table: new (options: TableOptions) => DocxTable;
  readonly TableRow: new (options: RowOptions) => DocxRow;
  readonly TableCell: new (options: CellOptions) => DocxCell;
  readonly Footer: new (options: { readonly children: readonly DocxParagraph[] }) => DocxFooter;
  readonly Packer: { toBuffer(document: DocxDocument): Promise<Buffer> };
}

const docx = runtime as unknown as DocxApi;

export const { Document, Paragraph, TextRun, Table, TableRow, TableCell, Footer, Packer } = docx;
