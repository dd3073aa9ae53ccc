// Text into GitHub-flavoured Markdown: every string passes through here, so a
// name such as "a | b", "*x*" or "<script>" shows as written and never splits a
// table cell, starts a list or becomes markup.

/** Inline text: one line, Markdown punctuation backslash-escaped, HTML characters as entities. */
export function mdInline(text: string): string {
  return (
    text
      // Line breaks would end a table row or a paragraph: one line, always.
      .replace(/\p{Cc}+/gu, ' ')
      .replace(/[\\`*_[\]|~]/g, '\\$&')
      // An ampersand is only markup where it starts an entity ("&amp;", "&#60;"): "T&M" stays as it is.
      .replace(/&(?=#?\w+;)/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // GitHub turns ":word:" into an emoji.
      .replace(/:(?=[\w+-]+:)/g, '\\:')
  );
}

/** Text that starts a line (a paragraph, a list item): also defuse what would open a block there. */
export function mdLine(text: string): string {
  return mdInline(text).replace(/^(\s*)(#|=|\+|-|\d+(?=[.)]))/, (_, space: string, marker: string) =>
    /^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
  );
}

/** A label inside a mermaid code block: code is shown literally, so only mermaid's own syntax is removed. */
export function mermaidLabel(text: string, fallback: string): string {
  const cleaned = text
    .replace(/[\p{Cc}:;#`<>{}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' ? fallback : cleaned;
}
