// Reading rendered documents back the way a reader's tools would: poppler for
// the PDF (text, and a page as PNG), the docx unzipped to its XML, and a tiny
// PNG decoder to count the pixels a drawing left on a page.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync, unzlibSync } from 'fflate';

function withTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'proposal-doc-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PDF's text, one string per page (pdftotext separates pages with a form feed). */
export function pdfPages(pdf: Buffer): string[] {
  return withTempDir((dir) => {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return text.split('\f').slice(0, -1);
  });
}

/** One page rasterised by pdftoppm, as PNG bytes. */
export function pdfPagePng(pdf: Buffer, page: number, dpi = 50): Buffer {
  return withTempDir((dir) => {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const pages = ['-f', String(page), '-l', String(page)];
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), ...pages, '-singlefile', file, join(dir, 'page')]);
    return readFileSync(join(dir, 'page.png'));
  });
}

export interface Image {
  readonly width: number;
  readonly height: number;
  /** RGB, 3 bytes a pixel, rows top to bottom. */
  readonly rgb: Uint8Array;
}

/** Decodes the 8-bit RGB or grey, non-interlaced PNGs pdftoppm writes. */
export function decodePng(png: Buffer): Image {
  if (png.toString('latin1', 1, 4) !== 'PNG') throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || interlace !== 0 || (colour !== 2 && colour !== 0)) throw new Error('unsupported PNG');
      channels = colour === 2 ? 3 : 1;
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = unzlibSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x += 1) {
      const left = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const upLeft = y > 0 && x >= channels ? pixels[(y - 1) * stride + x - channels]! : 0;
      pixels[y * stride + x] = (line[x]! + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  if (channels === 3) return { width, height, rgb: pixels };
  const rgb = new Uint8Array(width * height * 3);
  pixels.forEach((grey, index) => rgb.fill(grey, index * 3, index * 3 + 3));
  return { width, height, rgb };
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return Math.floor((left + up) / 2);
    case 4: {
      const estimate = left + up - upLeft;
      const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      return a <= b && a <= c ? left : b <= c ? up : upLeft;
    }
    default:
      throw new Error(`bad PNG filter ${filter}`);
  }
}

/** Pixels within `tolerance` of a colour such as '#c0392b'. */
export function countColour(image: Image, hex: string, tolerance = 40): number {
  const target = [1, 3, 5].map((index) => parseInt(hex.slice(index, index + 2), 16));
  let count = 0;
  for (let index = 0; index < image.rgb.length; index += 3) {
    const distance = target.reduce((sum, value, channel) => sum + Math.abs(image.rgb[index + channel]! - value), 0);
    if (distance <= tolerance) count += 1;
  }
  return count;
}

/** The parts of a docx, by path. */
export function unzipDocx(docx: Buffer): Record<string, string> {
  const files = unzipSync(new Uint8Array(docx));
  return Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, strFromU8(bytes)]));
}

export interface WordParagraph {
  readonly style: string | undefined;
  readonly text: string;
}

/** Every paragraph of word/document.xml with its style and its text, entities decoded. */
export function wordParagraphs(documentXml: string): WordParagraph[] {
  return [...documentXml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map(([, body = '']) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(body)?.[1],
    text: [...body.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map(([, text = '']) => decodeXml(text)).join(''),
  }));
}

export function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return named[entity.toLowerCase()] ?? entity;
  });
}

/** Whether `items` appear in `text` in this order. */
export function inOrder(text: string, items: readonly string[]): boolean {
  let from = 0;
  for (const item of items) {
    const at = text.indexOf(item, from);
    if (at < 0) return false;
    from = at + item.length;
  }
  return true;
}
