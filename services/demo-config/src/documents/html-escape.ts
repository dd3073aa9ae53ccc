// Text into HTML: every string the document prints passes through here, so a
// client named "<script>alert(1)</script>" is shown, never run.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes markup characters; control characters and lone surrogates (not text, and not encodable) become U+FFFD. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character)
    .replace(/(?![\t\n\r])[\p{Cc}\p{Cs}]/gu, '\ufffd');
}
