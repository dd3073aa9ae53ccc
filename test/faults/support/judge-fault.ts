// After a fault: read what the database holds once nothing can change it any
// more, print the fault's report line, and assert the promises.
import { withClient } from '@analytics-engine/storage/testing';
import { expectAnswersSound, summarizeAnswers } from './answer-summary.js';
import { ANSWER_BOUND_MS } from './fault-services.js';
import { reportLine } from './report-line.js';
import { expectSound, verifyWrites, type Verdict } from './verify-writes.js';
import type { WriteRecord } from './write-load.js';

export async function judgeFault(
  name: string,
  databaseUrl: string,
  records: readonly WriteRecord[],
  extra = '',
): Promise<Verdict> {
  await untilNoServiceSessions(databaseUrl);
  const verdict = await verifyWrites(databaseUrl, records);
  const answers = summarizeAnswers(records);
  console.info(reportLine(name, verdict, answers, extra));
  expectSound(verdict);
  expectAnswersSound(answers, ANSWER_BOUND_MS);
  return verdict;
}

/**
 * A killed service's backends may still be finishing a statement: read only
 * once they are gone, so that what is stored no longer changes.
 */
async function untilNoServiceSessions(databaseUrl: string): Promise<void> {
  return withClient(databaseUrl, async (client) => {
    for (let tries = 0; tries < 200; tries++) {
      const { rows } = await client.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name ' +
          `like 'analytics-engine%'`,
      );
      if (rows[0]?.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the service's database sessions did not end within 10 s");
  });
}
