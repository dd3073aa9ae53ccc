// The one line each fault prints: the figures the issue asks for first, then
// the answers in detail. fault-report-reporter.ts repeats them at the end.
import type { AnswerSummary } from './answer-summary.js';
import type { Verdict } from './verify-writes.js';

export const REPORT_PREFIX = 'fault report ';

export function reportLine(fault: string, v: Verdict, answers: AnswerSummary, extra = ''): string {
  const detail = Object.entries(answers.byLabel)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, n]) => `${label}: ${n}`)
    .join(', ');
  return (
    `${REPORT_PREFIX}${fault}: acknowledged ${v.acknowledged}, failed ${v.failed}, unknown ${v.unknown} ` +
    `(${v.unknownStored} stored), ` +
    `lost ${v.lost.length}, duplicated ${v.duplicated.length}, failed-but-stored ${v.failedStored.length}, ` +
    `503s seen ${answers.status503}, 504s seen ${answers.status504}, max latency ${answers.maxLatencyMs} ms` +
    `${extra ? `, ${extra}` : ''} [${detail}]`
  );
}
