// Sustained load far above capacity: 150 concurrent writers against a service
// that takes 16 requests at once on a pool of 4. The excess is shed at once
// with 503 OVERLOADED (nothing written), accepted writes keep every promise,
// and the report prints the accepted requests' p50/p99 and the process's RSS
// over the run. Those figures are printed, not asserted: speed is measured, not
// timed in tests.
import { describe, expect, it } from 'vitest';
import { sampleRss } from '../../bench/measure.js';
import { runFault } from './support/fault-run.js';

const MAX_IN_FLIGHT = 16;
const WRITERS = 150;
/** FAULT_OVERLOAD_SECONDS=60 for a longer look at memory; CI runs 10 s. */
const OVERLOAD_MS = Number(process.env.FAULT_OVERLOAD_SECONDS ?? 10) * 1000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

describe('overload', () => {
  it('sheds the excess with 503 OVERLOADED and keeps every accepted write', async () => {
    const records = await runFault({
      name: 'overload',
      env: { MAX_IN_FLIGHT: String(MAX_IN_FLIGHT), DATABASE_POOL_MAX: '4' },
      load: { writers: WRITERS },
      inject: async ({ services, load }) => {
        const pid = services.child.pid;
        const from = load.records.length;
        const sampler = sampleRss(pid, 1_000);
        await new Promise((resolve) => setTimeout(resolve, OVERLOAD_MS));
        const rss = sampler.stop().map(Math.round);
        const window = load.records.slice(from);
        const accepted = window
          .filter((r) => r.outcome === 'acknowledged')
          .map((r) => r.elapsedMs)
          .sort((a, b) => a - b);
        const shed = window.filter((r) => r.code === 'OVERLOADED').length;
        return (
          `${String(WRITERS)} writers on MAX_IN_FLIGHT ${String(MAX_IN_FLIGHT)} for ${String(OVERLOAD_MS / 1000)} s: ` +
          `${String(accepted.length)} accepted (p50 ${String(percentile(accepted, 50))} ms, p99 ` +
          `${String(percentile(accepted, 99))} ms), ` +
          `${String(shed)} shed, RSS ${String(rss[0])} -> ${String(Math.max(...rss))} max -> ` +
          `${String(rss.at(-1))} MiB ` +
          `(every 10 s: ${rss.filter((_, second) => second % 10 === 0).join(' ')})`
        );
      },
    });
    const shed = records.filter((r) => r.code === 'OVERLOADED');
    expect(shed.length, 'nothing was shed: the load did not exceed capacity').toBeGreaterThan(0);
    expect(shed.every((r) => r.retryAfter === '2')).toBe(true);
  });
});
