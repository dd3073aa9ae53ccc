// The process's configuration: the variables of the database, the server, the
// protections and every service it runs, parsed once at start with one zod
// schema and handed down. Empty values count as unset; a bad value refuses the
// boot with one line naming the variable (ConfigError).
import { databaseConfigOf, databaseEnvShape, parseEnv, type DatabaseConfig } from '@analytics-engine/storage';
import { z } from 'zod';
import { eventsEnvShape, eventsSettingsOf, type EventsSettings } from './changes/events-settings.js';
import { protectionEnvShape, protectionSettingsOf, type ProtectionSettings } from './protections/settings.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PORT_MESSAGE = 'must be a port number from 0 to 65535';
const portSchema = z.coerce
  .number({ error: PORT_MESSAGE })
  .int(PORT_MESSAGE)
  .min(0, PORT_MESSAGE)
  .max(65_535, PORT_MESSAGE);

const serverEnvShape = {
  HOST: z.string().trim().min(1).default('localhost'),
  PORT: portSchema.optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  NODE_ENV: z.string().trim().optional(),
};

/** What the configuration needs to know of a service: its variables and its port. */
export interface ConfiguredService {
  readonly name: string;
  readonly defaultPort: number;
  /** The variable that moves its port when several services share a process, e.g. CONNECTOR_PORT. */
  readonly portVariable: string;
  /** The service's own variables. */
  readonly env?: z.ZodRawShape;
}

export interface ProcessConfig {
  readonly database: DatabaseConfig;
  readonly host: string;
  /** PORT as given: it moves a service started on its own. */
  readonly port: number | undefined;
  /** Where each service listens, by name: PORT for a lone service, else its own variable, else its default. */
  readonly ports: ReadonlyMap<string, number>;
  /** How long a shutdown may take before the process exits regardless. */
  readonly graceMs: number;
  readonly logLevel: LogLevel;
  readonly production: boolean;
  readonly nodeEnv: string | undefined;
  readonly protections: ProtectionSettings;
  readonly events: EventsSettings;
  /** Every parsed variable; a service reads its own with serviceSettings. */
  readonly values: Readonly<Record<string, unknown>>;
}

export function loadProcessConfig(
  env: NodeJS.ProcessEnv,
  services: readonly ConfiguredService[],
  applicationName = `analytics-engine-${services.map((s) => s.name).join('+')}`,
): ProcessConfig {
  const portShape = Object.fromEntries(services.map((service) => [service.portVariable, portSchema.optional()]));
  const serviceShapes = services.map((service) => service.env ?? {});
  const schema = z.object(
    Object.assign(
      {},
      databaseEnvShape,
      serverEnvShape,
      protectionEnvShape,
      eventsEnvShape,
      portShape,
      ...serviceShapes,
    ),
  );
  const values: Record<string, unknown> = parseEnv(schema, env);
  const server = values as z.output<z.ZodObject<typeof serverEnvShape>>;
  const lone = services.length === 1 && server.PORT !== undefined;
  const ports = new Map(
    services.map((service) => [
      service.name,
      lone ? (server.PORT ?? 0) : ((values[service.portVariable] as number | undefined) ?? service.defaultPort),
    ]),
  );
  return {
    database: databaseConfigOf(values as z.output<z.ZodObject<typeof databaseEnvShape>>, applicationName),
    host: server.HOST,
    port: server.PORT,
    ports,
    graceMs: server.SHUTDOWN_GRACE_MS,
    logLevel: server.LOG_LEVEL ?? (server.NODE_ENV === 'test' ? 'silent' : 'info'),
    production: server.NODE_ENV === 'production',
    nodeEnv: server.NODE_ENV,
    protections: protectionSettingsOf(values as z.output<z.ZodObject<typeof protectionEnvShape>>),
    events: eventsSettingsOf(values as z.output<z.ZodObject<typeof eventsEnvShape>>),
    values,
  };
}

/** A service's own variables, as the one schema parsed them (it included `shape`). */
export function serviceSettings<Shape extends z.ZodRawShape>(
  config: ProcessConfig,
  shape: Shape,
): z.output<z.ZodObject<Shape>> {
  const picked = Object.fromEntries(Object.keys(shape).map((name) => [name, config.values[name]]));
  return picked as z.output<z.ZodObject<Shape>>;
}
