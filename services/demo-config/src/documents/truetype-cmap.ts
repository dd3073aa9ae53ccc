// Which characters a TrueType font can draw, read from its cmap table: the
// PDF renderer replaces the others before pdfkit lays the text out.

/**
 * The code points a TrueType font maps to a glyph, from its cmap table: the
 * Unicode full-repertoire subtable (format 12) when present, else the BMP one
 * (format 4). Glyph 0 is .notdef, so a code point mapped to it is not covered.
 */
export function cmapCoverage(font: Buffer): Set<number> {
  const tables = font.readUInt16BE(4);
  let cmap = -1;
  for (let index = 0; index < tables; index += 1) {
    const record = 12 + index * 16;
    if (font.toString('latin1', record, record + 4) === 'cmap') cmap = font.readUInt32BE(record + 8);
  }
  if (cmap < 0) throw new Error('font has no cmap table');
  const subtables = new Map<string, number>();
  for (let index = 0; index < font.readUInt16BE(cmap + 2); index += 1) {
    const record = cmap + 4 + index * 8;
    const key = `${font.readUInt16BE(record)}/${font.readUInt16BE(record + 2)}`;
    subtables.set(key, cmap + font.readUInt32BE(record + 4));
  }
  const full = subtables.get('3/10') ?? subtables.get('0/4');
  if (full !== undefined && font.readUInt16BE(full) === 12) return format12(font, full);
  const bmp = subtables.get('3/1') ?? subtables.get('0/3');
  if (bmp !== undefined && font.readUInt16BE(bmp) === 4) return format4(font, bmp);
  throw new Error('font has no Unicode cmap subtable');
}

function format12(font: Buffer, offset: number): Set<number> {
  const covered = new Set<number>();
  const groups = font.readUInt32BE(offset + 12);
  for (let index = 0; index < groups; index += 1) {
    const group = offset + 16 + index * 12;
    const [start, end, glyph] = [font.readUInt32BE(group), font.readUInt32BE(group + 4), font.readUInt32BE(group + 8)];
    for (let code = start; code <= end; code += 1) if (glyph + code - start !== 0) covered.add(code);
  }
  return covered;
}

function format4(font: Buffer, offset: number): Set<number> {
  const covered = new Set<number>();
  const segments = font.readUInt16BE(offset + 6) / 2;
  const ends = offset + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let index = 0; index < segments; index += 1) {
    const [start, end] = [font.readUInt16BE(starts + index * 2), font.readUInt16BE(ends + index * 2)];
    const delta = font.readInt16BE(deltas + index * 2);
    const rangeOffsetAt = rangeOffsets + index * 2;
    const rangeOffset = font.readUInt16BE(rangeOffsetAt);
    for (let code = start; code <= end && code !== 0xffff; code += 1) {
      let glyph = rangeOffset === 0 ? code : font.readUInt16BE(rangeOffsetAt + rangeOffset + (code - start) * 2);
      if (rangeOffset !== 0 && glyph === 0) continue;
      glyph = (glyph + delta) & 0xffff;
      if (glyph !== 0) covered.add(code);
    }
  }
  return covered;
}
