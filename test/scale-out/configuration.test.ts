// The scale-out variables: defaults, the comma-separated replica list, and one
// line naming the variable for a value that cannot work.
import { ConfigError, databaseConfigFromEnv } from '@analytics-engine/storage';
import { describe, expect, it } from 'vitest';

const primary = 'postgres://app@pgbouncer:6432/analytics';

describe('scale-out configuration', () => {
  it('defaults: no migration URL of its own, prepared statements decided at the first connection, no replicas', () => {
    const config = databaseConfigFromEnv({ DATABASE_URL: primary });
    expect(config).toMatchObject({
      migrationUrl: undefined,
      preparedStatements: 'auto',
      readUrls: [],
      readMaxLagMs: 1000,
    });
  });

  it('reads every replica of DATABASE_READ_URL, and the other settings as given', () => {
    const config = databaseConfigFromEnv({
      DATABASE_URL: primary,
      DATABASE_MIGRATION_URL: 'postgres://app@db:5432/analytics',
      DATABASE_PREPARED_STATEMENTS: 'false',
      DATABASE_READ_URL: ' postgres://app@replica-1/analytics, postgresql://app@replica-2/analytics ,',
      DATABASE_READ_MAX_LAG_MS: '250',
    });
    expect(config).toMatchObject({
      migrationUrl: 'postgres://app@db:5432/analytics',
      preparedStatements: false,
      readUrls: ['postgres://app@replica-1/analytics', 'postgresql://app@replica-2/analytics'],
      readMaxLagMs: 250,
    });
    expect(
      databaseConfigFromEnv({ DATABASE_URL: primary, DATABASE_PREPARED_STATEMENTS: 'true' }).preparedStatements,
    ).toBe(true);
  });

  it('refuses what cannot work, naming the variable', () => {
    const refusals: [NodeJS.ProcessEnv, RegExp][] = [
      [{ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://replica/x' }, /^invalid DATABASE_READ_URL: each URL /],
      [{ DATABASE_URL: primary, DATABASE_MIGRATION_URL: 'db:5432' }, /^invalid DATABASE_MIGRATION_URL: must start /],
      [{ DATABASE_URL: primary, DATABASE_PREPARED_STATEMENTS: 'sometimes' }, /^invalid DATABASE_PREPARED_STATEMENTS: /],
      [{ DATABASE_URL: primary, DATABASE_READ_MAX_LAG_MS: '-1' }, /^invalid DATABASE_READ_MAX_LAG_MS: /],
      [{ DATABASE_READ_URL: 'postgres://replica/x' }, /^invalid DATABASE_READ_URL: it needs DATABASE_URL set too$/],
      [
        { DATABASE_MIGRATION_URL: 'postgres://db/x' },
        /^invalid DATABASE_MIGRATION_URL: it needs DATABASE_URL set too$/,
      ],
    ];
    for (const [env, message] of refusals) {
      expect(() => databaseConfigFromEnv(env)).toThrow(ConfigError);
      expect(() => databaseConfigFromEnv(env)).toThrow(message);
    }
  });
});
