// The PDF's bundled font (DejaVu Sans, regular and bold, from the
// dejavu-fonts-ttf package) and the filter every PDF string goes through: a
// character neither face has (emoji, CJK) would print as an empty box or
// trip the layout, so each such grapheme becomes U+FFFD on purpose.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cmapCoverage } from './truetype-cmap.js';

export interface PdfFonts {
  readonly regular: Buffer;
  readonly bold: Buffer;
}

type FontSource = PDFKit.Mixins.PDFFontSource;

/** What pdfkit's registerFont is handed: the file, or the same font already parsed. */
export interface PdfFontSources {
  readonly regular: FontSource;
  readonly bold: FontSource;
}

let fonts: PdfFonts | undefined;
let sources: PdfFontSources | undefined;
let coverage: ReadonlySet<number> | undefined;

/** Read once per process: the files are about 1.4 MB together. */
export function pdfFonts(): PdfFonts {
  if (fonts === undefined) {
    const root = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
    fonts = {
      regular: readFileSync(join(root, 'ttf', 'DejaVuSans.ttf')),
      bold: readFileSync(join(root, 'ttf', 'DejaVuSans-Bold.ttf')),
    };
  }
  return fonts;
}

/**
 * The fonts parsed once per process. Handed a file, pdfkit parses it again
 * for every document, and decoding DejaVu's layout tables was about half of
 * a PDF's render time. pdfkit 0.20 also takes a font parsed by fontkit (its
 * own dependency, loaded from pdfkit's location so it is the same parser),
 * though its types only list files; should fontkit not load, the files serve.
 */
export function pdfFontSources(): PdfFontSources {
  if (sources === undefined) {
    const files = pdfFonts();
    const fontkit = loadFontkit();
    sources =
      fontkit === undefined
        ? files
        : { regular: fontkit.create(files.regular) as FontSource, bold: fontkit.create(files.bold) as FontSource };
  }
  return sources;
}

interface Fontkit {
  create(data: Buffer): unknown;
}

function loadFontkit(): Fontkit | undefined {
  try {
    const fromPdfkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'));
    const fontkit = fromPdfkit('fontkit') as Partial<Fontkit>;
    return typeof fontkit.create === 'function' ? (fontkit as Fontkit) : undefined;
  } catch {
    return undefined;
  }
}

/** Code points both faces draw, so a text looks the same in bold and regular. */
function fontCoverage(): ReadonlySet<number> {
  if (coverage === undefined) {
    const { regular, bold } = pdfFonts();
    const boldCoverage = cmapCoverage(bold);
    coverage = new Set([...cmapCoverage(regular)].filter((code) => boldCoverage.has(code)));
  }
  return coverage;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Invisible format characters (joiners, variation selectors, BOM): dropped, they draw nothing. */
const INVISIBLE = /[\p{Cf}\u{fe00}-\u{fe0f}\u{e0100}-\u{e01ef}]/gu;
const REPLACEMENT = '\ufffd';
/** Controls, format characters, variation selectors: the grapheme-aware path handles them. */
const NEEDS_CARE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u{fe00}-\u{fe0f}\u{e0100}-\u{e01ef}]/u;

/**
 * Text as the PDF can draw it: NFC (so accents use precomposed glyphs),
 * controls as spaces, a grapheme with a missing glyph as U+FFFD.
 */
export function pdfText(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  const covered = fontCoverage();
  const normal = text.normalize('NFC');
  // Most text (accented Latin, Greek, Cyrillic) is all drawable: no need to split it into graphemes.
  if (!NEEDS_CARE.test(normal)) {
    let drawable = true;
    for (const character of normal) drawable &&= covered.has(character.codePointAt(0) ?? 0);
    if (drawable) return normal;
  }
  let out = '';
  for (const { segment } of segmenter.segment(normal)) {
    if (/^[\p{Cc}\p{Zl}\p{Zp}]+$/u.test(segment)) {
      out += ' ';
      continue;
    }
    const visible = segment.replace(INVISIBLE, '');
    if (visible === '') continue;
    let drawable = true;
    for (const character of visible) drawable &&= covered.has(character.codePointAt(0) ?? 0);
    out += drawable ? visible : REPLACEMENT;
  }
  return out;
}
