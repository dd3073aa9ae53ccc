// The proposal document renderers timed: each format for a quote of 50 object
// models and 200 KPIs (the document tests' large fixture), warm-up runs first,
// then p50 / p95 of 30 runs. `pnpm exec tsx bench/render.ts [--runs N]`;
// issue 15's target is PDF and Word under 250 ms at p50.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DOCUMENT_FORMAT_NAMES,
  renderDocument,
  type DocumentFormat,
} from '../services/demo-config/src/documents/index.js';
import { documentInput, largeQuote } from '../services/demo-config/test/documents/sample-quote.js';
import { table } from './report.js';
import { percentile } from './statistics.js';

export interface RenderFigures {
  readonly format: DocumentFormat;
  readonly runs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly bytes: number;
}

export const RENDER_TARGET_MS = 250;

export async function benchRender(options: { runs?: number; warmup?: number } = {}): Promise<RenderFigures[]> {
  const { runs = 30, warmup = 5 } = options;
  const input = documentInput(largeQuote());
  const figures: RenderFigures[] = [];
  for (const format of DOCUMENT_FORMAT_NAMES) {
    // Warm-up: module loading, font parsing and the JIT are not what a request pays.
    for (let run = 0; run < warmup; run += 1) await renderDocument(format, input);
    const times: number[] = [];
    let bytes = 0;
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      bytes = (await renderDocument(format, input)).body.length;
      times.push(performance.now() - started);
    }
    figures.push({ format, runs, p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95), bytes });
  }
  return figures;
}

function report(figures: readonly RenderFigures[]): string {
  const ms = (value: number) => value.toFixed(1);
  const rows = figures.map((figure) => {
    const target = figure.format === 'pdf' || figure.format === 'docx';
    const verdict = target ? (figure.p50Ms < RENDER_TARGET_MS ? 'yes' : 'NO') : '-';
    return [figure.format, ms(figure.p50Ms), ms(figure.p95Ms), (figure.bytes / 1024).toFixed(0), verdict];
  });
  return table(['format', 'p50 ms', 'p95 ms', 'KiB', `p50 < ${RENDER_TARGET_MS} ms`], rows);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not '${values.runs}'`);
  console.log(`Proposal documents: 50 objects, 200 KPIs; ${runs} runs per format after warm-up`);
  console.log(report(await benchRender({ runs })));
}
