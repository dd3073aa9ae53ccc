// Reads what the database really holds and holds it against what the clients
// were told: every acknowledged write is there, no failed one is, none twice.
import { withClient } from '@analytics-engine/storage/testing';
import { expect } from 'vitest';
import type { WriteRecord } from './write-load.js';

export interface Verdict {
  readonly acknowledged: number;
  readonly failed: number;
  readonly unknown: number;
  /** Unknown writes that did commit. */
  readonly unknownStored: number;
  /** Acknowledged but not stored. */
  readonly lost: string[];
  /** Failed but stored anyway. */
  readonly failedStored: string[];
  /** Stored more than once. */
  readonly duplicated: string[];
  /** Stored though no client ever sent it. */
  readonly unexpected: string[];
}

export async function verifyWrites(databaseUrl: string, records: readonly WriteRecord[]): Promise<Verdict> {
  const count = new Map<string, number>();
  for (const token of await storedTokens(databaseUrl)) count.set(token, (count.get(token) ?? 0) + 1);
  const sent = new Set(records.map((r) => r.token));
  const of = (outcome: WriteRecord['outcome']) => records.filter((r) => r.outcome === outcome);
  return {
    acknowledged: of('acknowledged').length,
    failed: of('failed').length,
    unknown: of('unknown').length,
    unknownStored: of('unknown').filter((r) => count.has(r.token)).length,
    lost: of('acknowledged')
      .filter((r) => !count.has(r.token))
      .map((r) => r.token),
    failedStored: of('failed')
      .filter((r) => count.has(r.token))
      .map((r) => r.token),
    duplicated: [...count].filter(([, n]) => n > 1).map(([token]) => token),
    unexpected: [...count.keys()].filter((token) => !sent.has(token)),
  };
}

/**
 * Every write's token as stored: client names, patches' preferences members,
 * profile names, proposals' consultants. The proposals' ids are the service's,
 * so a proposal stored twice shows as its token counted twice.
 */
async function storedTokens(databaseUrl: string): Promise<string[]> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ token: string }>(
      `select config_data->>'client_name' as token from client_configs
       union all
       select jsonb_object_keys(coalesce(config_data->'preferences', '{}'::jsonb)) from client_configs
       union all
       select profile_data->>'name' from connector_profiles
       union all
       select jsonb_array_elements_text(proposal_data->'resources'->'consultants') from service_proposals`,
    );
    return rows.map((row) => row.token);
  });
}

/**
 * The three promises (nothing acknowledged lost, nothing failed stored, nothing twice), and some writes got through.
 */
export function expectSound(v: Verdict): void {
  expect(v.lost, 'acknowledged writes missing').toEqual([]);
  expect(v.failedStored, 'failed writes stored anyway').toEqual([]);
  expect(v.duplicated, 'writes stored twice').toEqual([]);
  expect(v.unexpected, 'rows no client wrote').toEqual([]);
  expect(v.acknowledged, 'no write was acknowledged').toBeGreaterThan(0);
}
