// EVENTS_*: where the relay publishes, and how long sent events are kept. Events
// are on exactly when EVENTS_REDIS_URL is set; off, the outbox is not written.
import { z } from 'zod';

export const eventsEnvShape = {
  EVENTS_REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  EVENTS_STREAM: z.string().trim().min(1).max(200).default('analytics-engine:events'),
  EVENTS_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24),
  EVENTS_BACKLOG_LIMIT: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
};

export interface EventsSettings {
  /** Undefined: events are off. */
  readonly redisUrl: string | undefined;
  readonly stream: string;
  readonly retentionHours: number;
  /** A backlog above this is reported by /ready and the metrics (writes carry on). */
  readonly backlogLimit: number;
}

export function eventsSettingsOf(values: z.output<z.ZodObject<typeof eventsEnvShape>>): EventsSettings {
  return {
    redisUrl: values.EVENTS_REDIS_URL,
    stream: values.EVENTS_STREAM,
    retentionHours: values.EVENTS_RETENTION_HOURS,
    backlogLimit: values.EVENTS_BACKLOG_LIMIT,
  };
}
