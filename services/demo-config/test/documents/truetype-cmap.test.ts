import { describe, expect, it } from 'vitest';
import { pdfFonts } from '../../src/documents/pdf-font.js';
import { cmapCoverage } from '../../src/documents/truetype-cmap.js';

describe('TrueType cmap coverage', () => {
  it('reads which characters DejaVu Sans draws', () => {
    const covered = cmapCoverage(pdfFonts().regular);
    expect(covered.size).toBeGreaterThan(5_000);
    for (const character of 'AzÆéŁΩωЖжἈ€…█\ufffd') expect(covered.has(character.codePointAt(0)!), character).toBe(true);
    for (const character of '東京🚀한') expect(covered.has(character.codePointAt(0)!), character).toBe(false);
  });

  it('refuses what is not a font', () => {
    expect(() => cmapCoverage(Buffer.alloc(64))).toThrow(/cmap/);
  });
});
