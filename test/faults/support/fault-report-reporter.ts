// Repeats every fault's report line together at the end of `pnpm test:faults`,
// where they are easy to find (and to paste into the issue), in run order.
import type { UserConsoleLog } from 'vitest';
import type { Reporter } from 'vitest/node';
import { REPORT_PREFIX } from './report-line.js';

export default class FaultReportReporter implements Reporter {
  private readonly lines: string[] = [];

  onUserConsoleLog(log: UserConsoleLog): void {
    for (const line of log.content.split('\n')) if (line.startsWith(REPORT_PREFIX)) this.lines.push(line);
  }

  onTestRunEnd(): void {
    if (this.lines.length === 0) return;
    process.stdout.write(`\n${this.lines.join('\n')}\n`);
  }
}
