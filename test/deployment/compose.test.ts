// No Docker engine runs where the tests run, so the compose file and the
// Dockerfile are checked by reading them: the guide's service names and ports,
// healthchecks, the named volume, and the start order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  init?: boolean;
}

const root = new URL('../../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};

describe('docker-compose.yml', () => {
  it('has the guide services', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'connector_service',
      'database_service',
      'demo_config_service',
      'redis',
      'timescaledb',
    ]);
  });

  it('publishes events to its Redis, kept on a volume, unless EVENTS_REDIS_URL is set otherwise', () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7/);
    expect(redis.volumes).toEqual(['redis_data:/data']);
    expect(redis.healthcheck?.test.join(' ')).toContain('redis-cli ping');
    for (const name of ['connector_service', 'demo_config_service']) {
      expect(service(name).environment?.EVENTS_REDIS_URL).toBe('${EVENTS_REDIS_URL-redis://redis:6379}');
    }
  });

  it('runs TimescaleDB on a named volume with a healthcheck', () => {
    const db = service('timescaledb');
    expect(db.image).toMatch(/^timescale\/timescaledb:/);
    expect(db.volumes).toEqual(['timescaledb_data:/var/lib/postgresql/data', './scripts/sql:/app/scripts:ro']);
    expect(Object.keys(compose.volumes)).toEqual(['timescaledb_data', 'redis_data']);
    expect(db.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(db.environment?.POSTGRES_DB).toBe('analytics_engine');
  });

  it('migrates once TimescaleDB is healthy, and stays up for `exec ... pnpm migrate`', () => {
    const migrator = service('database_service');
    expect(migrator.depends_on).toEqual({ timescaledb: { condition: 'service_healthy' } });
    expect(migrator.command?.join(' ')).toMatch(
      /^sh -c pnpm migrate upgrade head && touch \/tmp\/migrated && exec sleep infinity$/,
    );
    expect(migrator.healthcheck?.test).toEqual(['CMD', 'test', '-f', '/tmp/migrated']);
    expect(migrator.environment?.DATABASE_URL).toMatch(/@timescaledb:5432\/analytics_engine$/);
  });

  it.each([
    ['connector_service', 8023, 'services/connector/src/server.ts'],
    ['demo_config_service', 8022, 'services/demo-config/src/server.ts'],
  ])('starts %s on port %i after the migration, healthy when /ready answers', (name, port, entry) => {
    const app = service(name);
    expect(app.ports).toEqual([`${port}:${port}`]);
    expect(app.environment?.PORT).toBe(String(port));
    expect(app.environment?.HOST).toBe('0.0.0.0');
    expect(app.environment?.DATABASE_URL).toMatch(/@timescaledb:5432\/analytics_engine$/);
    expect(app.depends_on).toEqual({ database_service: { condition: 'service_healthy' } });
    expect(app.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/ready`);
    expect(app.command).toEqual(['node', '--import', 'tsx', entry]);
    expect(app.init).toBe(true);
    // The entry it runs exists.
    expect(() => readFileSync(new URL(entry, root))).not.toThrow();
  });

  it('keeps the .env that holds the keys out of git and out of the image', () => {
    for (const file of ['.gitignore', '.dockerignore']) {
      expect(readFileSync(new URL(file, root), 'utf8').split('\n'), file).toContain('.env');
    }
  });

  it('requires API keys for both services, which listen on every address', () => {
    for (const name of ['connector_service', 'demo_config_service']) {
      expect(service(name).environment?.API_KEYS, name).toMatch(/^\$\{API_KEYS\?/);
      expect(service(name).environment?.ALLOW_UNAUTHENTICATED, name).toBe('${ALLOW_UNAUTHENTICATED:-false}');
    }
  });

  it('requires encryption keys for the connector in production', () => {
    expect(service('connector_service').environment?.CONNECTOR_ENCRYPTION_KEYS).toMatch(
      /^\$\{CONNECTOR_ENCRYPTION_KEYS:\?/,
    );
    expect(service('connector_service').environment?.NODE_ENV).toBe('production');
  });

  it("gives the migrator the Connector's keys, to seal the plaintext secrets of an adopted Python-era database", () => {
    const migrator = service('database_service');
    expect(migrator.environment?.CONNECTOR_ENCRYPTION_KEYS).toBe(
      service('connector_service').environment?.CONNECTOR_ENCRYPTION_KEYS,
    );
    expect(migrator.environment?.NODE_ENV).toBe('production');
    expect(migrator.environment?.DATABASE_URL).toBe(service('connector_service').environment?.DATABASE_URL);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');

  it('builds in stages, installs production dependencies only and runs unprivileged', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toContain('pnpm install --frozen-lockfile --prod');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^FROM node:20-/m);
  });

  it('copies every workspace manifest the lockfile names', () => {
    const workspace = parse(readFileSync(new URL('pnpm-workspace.yaml', root), 'utf8')) as { packages: string[] };
    expect(workspace.packages).toEqual(['packages/*', 'services/*', 'migrations']);
    for (const manifest of [
      'migrations',
      'packages/storage',
      'packages/http',
      'services/connector',
      'services/demo-config',
    ]) {
      expect(dockerfile).toContain(`COPY ${manifest}/package.json ${manifest}/`);
    }
  });
});
