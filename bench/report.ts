// The printed table and the JSON file under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurement } from './measure.js';
import { ROOT } from './processes.js';

export interface OperationResult {
  readonly operation: string;
  readonly service: Measurement;
  readonly bare: Measurement | null;
  /** Platformatic DB's generated API over the same tables; null where it has no such route or was not run. */
  readonly peer: Measurement | null;
  /** service req/s ÷ bare req/s. */
  readonly throughputRatio: number | null;
  /** bare CPU per request ÷ the service's: the steadier figure on a shared machine. */
  readonly cpuRatio: number | null;
  /** service req/s ÷ peer req/s. */
  readonly peerRatio: number | null;
}

/** The targets (issue 18), by operation name. */
export const TARGETS: Readonly<Record<string, { cpuRatio?: number; p99Ms?: number; peerRatio?: number }>> = {
  get: { cpuRatio: 0.9, p99Ms: 20, peerRatio: 1.5 },
  create: { cpuRatio: 0.85, p99Ms: 20, peerRatio: 1.5 },
  'list-newest': { cpuRatio: 0.8 },
  'list-jsonb': { cpuRatio: 0.8 },
};

const fixed = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? '-' : value.toFixed(digits);

export function ratio(service: Measurement, bare: Measurement | null): number | null {
  return bare && bare.requestsPerSecond > 0 ? service.requestsPerSecond / bare.requestsPerSecond : null;
}

export function cpuRatio(service: Measurement, bare: Measurement | null): number | null {
  const ours = service.cpuMicrosPerRequest;
  const theirs = bare?.cpuMicrosPerRequest;
  return ours && theirs ? theirs / ours : null;
}

/** Rounds of one target merged: requests and CPU added up, rates averaged, the worst percentile kept. */
export function merged(rounds: readonly Measurement[]): Measurement {
  const first = rounds[0];
  if (!first) throw new Error('no rounds to merge');
  const requests = rounds.reduce((sum, round) => sum + round.requests, 0);
  const cpu = rounds.every((round) => round.cpuMicrosPerRequest !== null)
    ? rounds.reduce((sum, round) => sum + (round.cpuMicrosPerRequest ?? 0) * round.requests, 0) / Math.max(requests, 1)
    : null;
  const worst = (pick: (round: Measurement) => number | null) => Math.max(...rounds.map((round) => pick(round) ?? 0));
  return {
    requestsPerSecond: rounds.reduce((sum, round) => sum + round.requestsPerSecond, 0) / rounds.length,
    p50: rounds.reduce((sum, round) => sum + round.p50, 0) / rounds.length,
    p99: worst((round) => round.p99),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    requests,
    peakRssMiB: rounds.some((round) => round.peakRssMiB !== null) ? worst((round) => round.peakRssMiB) : null,
    cpuMicrosPerRequest: cpu,
  };
}

/** One line per target of issue 18: the figure, the target, and whether it holds. */
export function formatTargets(results: readonly OperationResult[]): string {
  const lines: string[] = [];
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  for (const result of results) {
    const name = result.operation.split(' ').slice(1).join(' ');
    const target = TARGETS[name];
    if (!target) continue;
    const say = (what: string, value: number | null, wanted: number, atLeast: boolean) => {
      if (value === null) return;
      const ok = atLeast ? value >= wanted : value < wanted;
      const shown = `${value.toFixed(2)} (target ${atLeast ? '>=' : '<'} ${String(wanted)})`;
      lines.push(`${result.operation.padEnd(22)} ${what.padEnd(26)} ${shown.padEnd(22)} ${verdict(ok)}`);
    };
    if (target.cpuRatio !== undefined) say('CPU per request bare÷svc', result.cpuRatio, target.cpuRatio, true);
    if (target.p99Ms !== undefined) say('svc p99 ms', result.service.p99, target.p99Ms, false);
    if (target.peerRatio !== undefined) say('req/s svc÷peer', result.peerRatio, target.peerRatio, true);
  }
  return lines.join('\n');
}

export function formatTable(results: readonly OperationResult[]): string {
  const header = [
    'operation',
    'svc req/s',
    'bare req/s',
    'svc÷bare',
    'svc µs/req',
    'bare µs/req',
    'cpu bare÷svc',
    'peer req/s',
    'svc÷peer',
    'svc p50',
    'svc p99',
    'bare p99',
    'svc err',
    'bare err',
    'svc RSS MiB',
  ];
  const rows = results.map((r) => [
    r.operation,
    fixed(r.service.requestsPerSecond),
    fixed(r.bare?.requestsPerSecond),
    fixed(r.throughputRatio, 2),
    fixed(r.service.cpuMicrosPerRequest),
    fixed(r.bare?.cpuMicrosPerRequest),
    fixed(r.cpuRatio, 2),
    fixed(r.peer?.requestsPerSecond),
    fixed(r.peerRatio, 2),
    fixed(r.service.p50, 1),
    fixed(r.service.p99, 1),
    fixed(r.bare?.p99, 1),
    String(r.service.errors),
    r.bare ? String(r.bare.errors) : '-',
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
