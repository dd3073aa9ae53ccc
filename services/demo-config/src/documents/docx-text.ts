// Text into WordprocessingML: docx escapes markup, but XML 1.0 cannot hold C0
// control characters or lone surrogates at all, and one of them would make
// Word refuse the file. Everything else stays exactly as written.
/** With the u flag a valid surrogate pair is one code point, so \p{Cs} matches only a lone surrogate. */
const NOT_XML = /[\p{Cc}\p{Cs}\ufffe\uffff]/gu;

export function docxText(text: string): string {
  return text.replace(/[\t\n\r]+/g, ' ').replace(NOT_XML, '\ufffd');
}
