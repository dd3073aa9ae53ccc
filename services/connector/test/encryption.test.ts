// Secrets at rest: ciphertext in profile_data, key rotation, ciphertexts bound to
// their profile and field, and the boot-time key configuration.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createSecretBox, parseKeyRing, type OpenDatabase } from '@analytics-engine/storage';
import { createTestDatabase } from '@analytics-engine/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_KEY_FILE_NAME } from '../src/encryption-keys.js';
import { testApp, logSink } from '@analytics-engine/http/testing';
import { connectorService } from '../src/service.js';
import { guideBody, keyEntry } from './support.js';

let database: OpenDatabase;
beforeAll(async () => {
  database = await (await createTestDatabase()).open();
});
afterAll(async () => {
  await database.close();
});

const keyA = keyEntry('key-a');
const keyB = keyEntry('key-b');
const json = { 'content-type': 'application/json' };

/** The row as PostgreSQL holds it, read past the service (kysely is not a dependency here, so through database.db). */
async function storedData(id: string): Promise<{ profile_data: any; text: string }> {
  return database.db
    .selectFrom('connector_profiles')
    .select((eb) => ['profile_data', eb.cast<string>('profile_data', 'text').as('text')])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Changes a stored document behind the service's back, as someone with database access could. */
async function tamper(id: string, change: (data: any) => void): Promise<void> {
  const { profile_data } = await storedData(id);
  change(profile_data);
  await database.db
    .updateTable('connector_profiles')
    .set({ profile_data: JSON.stringify(profile_data) })
    .where('id', '=', id)
    .execute();
}

describe('at rest', () => {
  it('stores connection_string and credentials.password as ciphertext in profile_data', async () => {
    const app = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keyA });
    expect(
      (await app.inject({ method: 'POST', url: '/connector/profiles', payload: guideBody, headers: json })).statusCode,
    ).toBe(201);
    const row = await storedData('test-sql-connection');
    expect(row.text).not.toContain('testpass');
    // The view after the ciphertext is what a response shows: the redacted string, nothing for a password.
    expect(row.profile_data.connection_string).toMatch(
      /^enc:v2:key-a:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+:Server=localhost;Database=test;$/,
    );
    expect(row.profile_data.credentials.password).toMatch(/^enc:v2:key-a:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+:$/);
    expect(row.profile_data.credentials.username).toBe('testuser');
    expect(row.profile_data).toMatchObject({ name: 'Test SQL Server', type: 'sql' });
    // A view with colons of its own reads back whole; the password in the string is only in the ciphertext.
    const url = { id: 'url-view', name: 'u', type: 'sql', connection_string: 'postgres://etl:hunter2@db:5432/sales' };
    expect((await app.inject({ method: 'POST', url: '/connector/profiles', payload: url })).statusCode).toBe(201);
    const urlRow = await storedData('url-view');
    expect(urlRow.text).not.toContain('hunter2');
    expect(urlRow.profile_data.connection_string).toMatch(/:postgres:\/\/etl:\*\*\*@db:5432\/sales$/);
    expect((await app.inject('/connector/profiles/url-view')).json().connection_string).toBe(
      'postgres://etl:***@db:5432/sales',
    );
    // A fresh IV per seal: the same plaintext never gives the same ciphertext.
    await app.inject({
      method: 'PATCH',
      url: '/connector/profiles/test-sql-connection',
      payload: { credentials: { password: 'testpass' } },
    });
    expect((await storedData('test-sql-connection')).profile_data.credentials.password).not.toBe(
      row.profile_data.credentials.password,
    );
    await app.close();
  });
});

describe('key rotation', () => {
  it(
    'reads a profile sealed with an old key after a new one becomes current, and writes with the new ' + 'one',
    async () => {
      const before = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keyA });
      const payload = {
        id: 'rotated',
        name: 'Rotated',
        type: 'sql',
        connection_string: 'Server=x;Password=old-pw;',
        credentials: { password: 'old' },
      };
      expect((await before.inject({ method: 'POST', url: '/connector/profiles', payload })).statusCode).toBe(201);
      await before.close();

      const after = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: `${keyB}, ${keyA}` });
      const read = await after.inject('/connector/profiles/rotated');
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({
        connection_string: 'Server=x;Password=***;',
        secrets: { connection_string: 'set', password: 'set' },
      });

      await after.inject({
        method: 'PATCH',
        url: '/connector/profiles/rotated',
        payload: { credentials: { password: 'new' } },
      });
      const row = (await storedData('rotated')).profile_data;
      expect(row.credentials.password).toMatch(/^enc:v2:key-b:/);
      expect(row.connection_string).toMatch(/^enc:v2:key-a:/);
      await after.inject({
        method: 'POST',
        url: '/connector/profiles',
        payload: { id: 'fresh', name: 'Fresh', type: 'api', connection_string: 'https://x' },
      });
      expect((await storedData('fresh')).profile_data.connection_string).toMatch(/^enc:v2:key-b:/);
      await after.close();

      // With key A gone, its ciphertext is reported unreadable: no 500, no secret.
      const withoutA = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keyB });
      const orphan = await withoutA.inject('/connector/profiles/rotated');
      expect(orphan.statusCode).toBe(200);
      expect(orphan.json().secrets).toEqual({ connection_string: 'unreadable', password: 'set' });
      expect(orphan.json()).not.toHaveProperty('connection_string');
      await withoutA.close();
    },
  );
});

describe('ciphertexts are bound to their profile and field', () => {
  it('refuses to open a ciphertext moved to another profile or field when the secret is used', async () => {
    const app = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keyA });
    for (const id of ['victim', 'thief']) {
      await app.inject({
        method: 'POST',
        url: '/connector/profiles',
        payload: {
          id,
          name: id,
          type: 'sql',
          connection_string: `Server=${id};Password=${id}-pw;`,
          credentials: { password: `${id}-pass` },
        },
      });
    }
    const victim = (await storedData('victim')).profile_data;
    // Into another profile, same field:
    await tamper('thief', (data) => {
      data.connection_string = victim.connection_string;
    });
    // Into the same profile, another field:
    await tamper('victim', (data) => {
      data.credentials.password = victim.connection_string;
    });

    // A read shows the stored view without opening anything: no 500, and never a secret.
    const thief = await app.inject('/connector/profiles/thief');
    expect(thief.statusCode).toBe(200);
    expect(thief.json()).toMatchObject({
      connection_string: 'Server=victim;Password=***;',
      secrets: { connection_string: 'set', password: 'set' },
    });
    const list = await app.inject('/connector/profiles');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('victim-pw');

    // A use opens the ciphertext, which names the victim's id and field: it fails before connecting.
    for (const [id, field] of [
      ['thief', 'connection_string'],
      ['victim', 'credentials.password'],
    ] as const) {
      const used = await app.inject({ method: 'POST', url: `/connector/profiles/${id}/test` });
      expect(used.statusCode).toBe(200);
      expect(used.json().result).toMatchObject({ status: 'failed', error: { code: 'invalid_config' } });
      expect(used.json().result.error.message).toContain(
        `the stored ${field} cannot be opened (authentication_failed)`,
      );
      expect(used.body).not.toMatch(/victim-pw|victim-pass/);
    }

    // Writing the secret again repairs the profile.
    const repaired = await app.inject({
      method: 'PATCH',
      url: '/connector/profiles/thief',
      payload: { connection_string: 'Server=thief;' },
    });
    expect(repaired.json()).toMatchObject({
      connection_string: 'Server=thief;',
      secrets: { connection_string: 'set' },
    });
    const retried = await app.inject({ method: 'POST', url: '/connector/profiles/thief/test' });
    expect(retried.json().result.error?.message ?? '').not.toContain('cannot be opened');
    await app.close();
  });

  it('reports a value sealed before views (v1) and moved to another profile as unreadable on read', async () => {
    const sink = logSink();
    const app = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keyA }, { logger: sink.logger });
    await app.inject({
      method: 'POST',
      url: '/connector/profiles',
      payload: { id: 'v1-thief', name: 'v1', type: 'sql', connection_string: 'Server=thief;' },
    });
    // As values were sealed before views: a read opens it.
    const v1 = createSecretBox(parseKeyRing(keyA)).seal('Server=v1;Password=v1-pw;', 'v1-victim', 'connection_string');
    expect(v1).toMatch(/^enc:v1:key-a:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    await tamper('v1-thief', (data) => {
      data.connection_string = v1;
    });
    const read = await app.inject('/connector/profiles/v1-thief');
    expect(read.statusCode).toBe(200);
    expect(read.json()).not.toHaveProperty('connection_string');
    expect(read.json().secrets.connection_string).toBe('unreadable');
    expect(read.body).not.toContain('v1-pw');
    const warning = sink.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.profileId === 'v1-thief');
    expect(warning).toMatchObject({
      level: 40,
      field: 'connection_string',
      keyId: 'key-a',
      reason: 'authentication_failed',
    });
    // The same value where it was sealed opens, and reads redacted.
    await tamper('v1-thief', (data) => {
      data.connection_string = createSecretBox(parseKeyRing(keyA)).seal(
        'Server=v1;Password=v1-pw;',
        'v1-thief',
        'connection_string',
      );
    });
    expect((await app.inject('/connector/profiles/v1-thief')).json()).toMatchObject({
      connection_string: 'Server=v1;Password=***;',
      secrets: { connection_string: 'set' },
    });
    await app.close();
  });

  it('reports a malformed sealed value as unreadable', async () => {
    const app = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keyA });
    await app.inject({
      method: 'POST',
      url: '/connector/profiles',
      payload: { id: 'mangled', name: 'm', type: 'sql', connection_string: 'x' },
    });
    for (const mangled of ['enc:v1:key-a:nonsense', 'enc:v2:key-a:nonsense', 'enc:v2:key-a:short:x:']) {
      await tamper('mangled', (data) => {
        data.connection_string = mangled;
      });
      const read = await app.inject('/connector/profiles/mangled');
      expect(read.statusCode).toBe(200);
      expect(read.json().secrets.connection_string, mangled).toBe('unreadable');
    }
    await app.close();
  });
});

describe('key configuration', () => {
  it('refuses to boot in production without keys', async () => {
    const boot = testApp(connectorService, database, { NODE_ENV: 'production' });
    await expect(boot).rejects.toBeInstanceOf(ConfigError);
    await expect(
      testApp(connectorService, database, { NODE_ENV: 'production', CONNECTOR_ENCRYPTION_KEYS: ' ' }),
    ).rejects.toThrow(/^CONNECTOR_ENCRYPTION_KEYS is required when NODE_ENV=production/);
    const app = await testApp(connectorService, database, { NODE_ENV: 'production', CONNECTOR_ENCRYPTION_KEYS: keyA });
    await app.close();
  });

  it('names the malformed entry by position, never its key material', async () => {
    const secretish = randomBytes(16).toString('base64');
    const cases: [string, RegExp][] = [
      [
        `${keyA},b:${secretish}`,
        /^CONNECTOR_ENCRYPTION_KEYS entry 2 \(key id 'b'\): the key must decode to 32 bytes, not 16/,
      ],
      [`${keyA},c:not*base64!`, /^CONNECTOR_ENCRYPTION_KEYS entry 2 \(key id 'c'\): the key is not valid base64/],
      [
        `${keyA},${keyEntry('key-a')}`,
        /^CONNECTOR_ENCRYPTION_KEYS entry 2: key id 'key-a' is used by an earlier entry/,
      ],
      [secretish, /^CONNECTOR_ENCRYPTION_KEYS entry 1: expected keyId:base64-of-32-bytes/],
      [`bad id:${secretish}`, /^CONNECTOR_ENCRYPTION_KEYS entry 1: the key id must be/],
      [`${keyA},`, /^CONNECTOR_ENCRYPTION_KEYS entry 2: expected keyId:base64-of-32-bytes/],
    ];
    for (const [keys, message] of cases) {
      const error: unknown = await testApp(connectorService, database, { CONNECTOR_ENCRYPTION_KEYS: keys }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(secretish);
      expect((error as Error).message).not.toContain(keyA.split(':')[1]);
    }
  });

  it('creates a development key file once, with mode 0600, and reuses it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'connector-keys-'));
    try {
      const first = logSink();
      const app1 = await testApp(connectorService, database, { DATA_DIR: dataDir }, { logger: first.logger });
      const path = join(dataDir, DEV_KEY_FILE_NAME);
      const key = await readFile(path, 'utf8');
      expect(key).toMatch(/^dev-[0-9a-f]{8}:[A-Za-z0-9+/]{43}=\n$/);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      const created = first.lines.filter((line) => line.includes('development encryption key'));
      expect(created).toHaveLength(1);
      expect(created[0]).toContain(`created the development encryption key file ${path}`);
      expect(created[0]).not.toContain(key.trim().split(':')[1]);
      await app1.inject({
        method: 'POST',
        url: '/connector/profiles',
        payload: { id: 'dev', name: 'd', type: 'sql', connection_string: 'Server=dev;' },
      });
      await app1.close();

      const second = logSink();
      const app2 = await testApp(connectorService, database, { DATA_DIR: dataDir }, { logger: second.logger });
      expect(await readFile(path, 'utf8')).toBe(key);
      expect(
        second.lines.filter((line) => line.includes(`using the development encryption key file ${path}`)),
      ).toHaveLength(1);
      expect((await app2.inject('/connector/profiles/dev')).json().connection_string).toBe('Server=dev;');
      await app2.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('narrows a key file readable by others to 0600 and refuses a corrupt one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'connector-keys-'));
    const path = join(dataDir, DEV_KEY_FILE_NAME);
    try {
      await writeFile(path, `${keyEntry('mine')}\n`, { mode: 0o644 });
      const app = await testApp(connectorService, database, { DATA_DIR: dataDir });
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      await app.close();
      await writeFile(path, 'mine:c2hvcnQ=\n');
      await expect(testApp(connectorService, database, { DATA_DIR: dataDir })).rejects.toThrow(
        `${path} entry 1 (key id 'mine'): the key must decode to 32 bytes`,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
