// What the clients saw, counted: answers by status and code, the 503/504s, how
// many of those said when to retry, and the slowest request.
import { expect } from 'vitest';
import type { WriteRecord } from './write-load.js';

export interface AnswerSummary {
  /** "201", "503 DATABASE_UNAVAILABLE", "no answer ECONNREFUSED"... and how many of each. */
  readonly byLabel: Record<string, number>;
  readonly status503: number;
  readonly status504: number;
  /** 5xx answers without Retry-After. */
  readonly withoutRetryAfter: number;
  readonly maxLatencyMs: number;
}

export function summarizeAnswers(records: readonly WriteRecord[]): AnswerSummary {
  const byLabel: Record<string, number> = {};
  for (const r of records) {
    const label = r.status === undefined ? `no answer ${r.error ?? ''}` : `${r.status}${r.code ? ` ${r.code}` : ''}`;
    byLabel[label] = (byLabel[label] ?? 0) + 1;
  }
  const serverErrors = records.filter((r) => (r.status ?? 0) >= 500);
  return {
    byLabel,
    status503: records.filter((r) => r.status === 503).length,
    status504: records.filter((r) => r.status === 504).length,
    withoutRetryAfter: serverErrors.filter((r) => r.retryAfter === null || r.retryAfter === undefined).length,
    maxLatencyMs: Math.max(0, ...records.map((r) => r.elapsedMs)),
  };
}

/**
 * No 500, every 503/504 of the service says when to retry, and no request took
 * longer than the timeouts allow (a hang shows as one that did).
 */
export function expectAnswersSound(summary: AnswerSummary, answerBoundMs: number): void {
  const internal = Object.keys(summary.byLabel).filter((label) => label.startsWith('500'));
  expect(internal, 'internal errors').toEqual([]);
  expect(summary.withoutRetryAfter, '5xx answers without Retry-After').toBe(0);
  expect(
    summary.maxLatencyMs,
    `a request took ${summary.maxLatencyMs} ms: longer than the timeouts allow`,
  ).toBeLessThan(answerBoundMs);
}
