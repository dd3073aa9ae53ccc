// The printed table and the JSON file under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurement } from './measure.js';
import { ROOT } from './processes.js';

export interface OperationResult {
  readonly operation: string;
  readonly service: Measurement;
  readonly bare: Measurement | null;
  /** service req/s ÷ bare req/s. */
  readonly throughputRatio: number | null;
}

const fixed = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? '-' : value.toFixed(digits);

export function ratio(service: Measurement, bare: Measurement | null): number | null {
  return bare && bare.requestsPerSecond > 0 ? service.requestsPerSecond / bare.requestsPerSecond : null;
}

export function formatTable(results: readonly OperationResult[]): string {
  const header = [
    'operation',
    'svc req/s',
    'bare req/s',
    'svc÷bare',
    'svc p50',
    'svc p99',
    'bare p99',
    'svc err',
    'bare err',
    'svc reqs',
    'bare reqs',
    'svc RSS MiB',
  ];
  const rows = results.map((r) => [
    r.operation,
    fixed(r.service.requestsPerSecond),
    fixed(r.bare?.requestsPerSecond),
    fixed(r.throughputRatio, 2),
    fixed(r.service.p50, 1),
    fixed(r.service.p99, 1),
    fixed(r.bare?.p99, 1),
    String(r.service.errors),
    r.bare ? String(r.bare.errors) : '-',
    String(r.service.requests),
    r.bare ? String(r.bare.requests) : '-',
    fixed(r.service.peakRssMiB),
  ]);
  return table(header, rows);
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** Writes bench/results/<ISO timestamp>.json and returns its path. */
export function writeResults(content: unknown): string {
  const directory = join(ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${new Date().toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  return file;
}
