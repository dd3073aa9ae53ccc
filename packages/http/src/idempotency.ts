// Idempotent creates: a POST with an Idempotency-Key header is done once. A
// retry with the same key and body gets the first answer again (with
// Idempotent-Replayed: true); the same key with another body gets 422; a retry
// while the first is still running gets 409. Keys are scoped by service and by
// caller (API key fingerprint, or anonymous without access control).
import { createHash } from 'node:crypto';
import { createIdempotencyKeys, type OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from './api-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when this request holds an Idempotency-Key claim. */
    idempotency: IdempotencyClaim | undefined;
  }
}

export interface IdempotencyClaim {
  /** sha256 (hex) of service, caller and key: a seed for ids that must be the same on every retry. */
  readonly key: string;
  /** When the key was first seen: the same on every retry. */
  readonly firstSeenAt: Date;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Printable ASCII, as UUIDs and the other usual key formats are; at most 255 characters. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** No request runs this long (statement_timeout 15 s + query timeout): its process died. */
const STALE_AFTER_SECONDS = 60;
const EXPIRY_INTERVAL_MS = 10 * 60 * 1000;
/** Headers of the first answer a replay repeats; the rest (request id, dates) are the replay's own. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

/** Seals stored answers at rest, for a service whose answers reveal more than the database may keep in clear. */
export interface AnswerSealer {
  seal(body: string, key: string): string;
  /** undefined when it cannot be opened (its encryption key was retired). */
  open(stored: string, key: string): string | undefined;
}

export interface IdempotencyOptions {
  readonly database: OpenDatabase;
  /** Keys are scoped by service: the same key sent to two services names two requests. */
  readonly service: string;
  readonly ttlHours: number;
  /** Stored first answers are sealed with this when given. */
  readonly sealer?: AnswerSealer;
}

/** Documents the header on every POST and validates it there (a 400 naming headers.idempotency-key). */
const idempotencyHeaderShape = {
  'idempotency-key': z
    .string()
    .regex(KEY_PATTERN, 'must be 1 to 255 printable ASCII characters')
    .optional()
    .describe(
      'Any unique string, e.g. a UUID. A retry with the same key and body is done once ' +
        'and replays the first answer (Idempotent-Replayed: true); ' +
        'the same key with another body gets 422, a retry while the first runs 409',
    ),
};

const sha256 = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

export function registerIdempotency(
  app: FastifyInstance,
  { database, service, ttlHours, sealer }: IdempotencyOptions,
): void {
  const records = createIdempotencyKeys(database.db);
  const times = { staleAfterSeconds: STALE_AFTER_SECONDS, ttlHours };
  app.decorateRequest('idempotency', undefined);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST') || !route.schema) return;
    const { headers } = route.schema;
    if (headers !== undefined && !(headers instanceof z.ZodObject)) return;
    route.schema = {
      ...route.schema,
      headers: headers ? headers.extend(idempotencyHeaderShape) : z.looseObject(idempotencyHeaderShape),
    };
  });

  // After validation (which checked the header): a rejected body never takes a
  // key, and the hash is of the body as the route sees it. Hooks with callbacks,
  // not async functions: a request without a key (nearly all) pays no promise.
  app.addHook('preHandler', (request, reply, done) => {
    const presented = request.headers[IDEMPOTENCY_HEADER];
    // Not on a 404: a key is for a request that does something, and a typo'd path must not take it.
    if (request.method !== 'POST' || typeof presented !== 'string' || request.is404) {
      done();
      return;
    }
    claimOrReplay(request, reply, presented).then(
      (replayed) => {
        // A replayed answer is sent already: the route must not run.
        if (!replayed) done();
      },
      (error: unknown) => {
        done(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

  /** Takes the key for this request (false), or answers with the first request's answer (true). */
  async function claimOrReplay(request: FastifyRequest, reply: FastifyReply, presented: string): Promise<boolean> {
    const key = sha256(service, request.apiKey?.fingerprint ?? 'anonymous', presented);
    const requestHash = sha256(
      request.method,
      request.routeOptions.url ?? '',
      JSON.stringify(request.params),
      JSON.stringify(request.body),
    );
    const claim = await records.claim(key, requestHash, times);
    switch (claim.outcome) {
      case 'claimed':
        request.idempotency = { key, firstSeenAt: claim.firstSeenAt };
        return false;
      case 'other-request':
        throw new ApiError(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was used for a different request: use a new key for a new request',
        );
      case 'in-progress':
        throw new ApiError(
          409,
          'IDEMPOTENCY_KEY_IN_PROGRESS',
          'a request with this Idempotency-Key is still in progress: retry shortly',
          undefined,
          {
            'retry-after': '1',
          },
        );
      case 'answered': {
        const body = sealer ? sealer.open(claim.answer.body, key) : claim.answer.body;
        if (body === undefined) {
          throw new ApiError(
            409,
            'IDEMPOTENCY_KEY_UNREADABLE',
            'the first answer for this Idempotency-Key can no longer be read (its encryption key was retired): ' +
              'read the resource instead',
          );
        }
        replay(reply, claim.answer.statusCode, claim.answer.headers, body);
        return true;
      }
    }
  }

  // Stored before the answer leaves: a client that lost it and retries finds it.
  app.addHook('onSend', (request, reply, payload, done) => {
    const claim = request.idempotency;
    if (!claim) {
      done(null, payload);
      return;
    }
    request.idempotency = undefined;
    void keepAnswer(request, reply, payload, claim.key).then(() => {
      done(null, payload);
    });
  });

  /** Never throws: the write is done (or failed) already, whatever happens to its answer's record. */
  async function keepAnswer(request: FastifyRequest, reply: FastifyReply, payload: unknown, key: string) {
    try {
      if (reply.statusCode >= 500 || typeof payload !== 'string') {
        await records.release(key);
      } else {
        const body = sealer?.seal(payload, key) ?? payload;
        await records.complete(key, { statusCode: reply.statusCode, headers: replayedHeaders(reply), body });
      }
    } catch (error) {
      // The write itself is done (or failed) already; the claim goes stale and a retry takes it over.
      request.log.warn({ err: error }, 'could not store the answer for its Idempotency-Key');
    }
  }

  const timer = setInterval(() => {
    records.expire(ttlHours).then(
      (deleted) => {
        if (deleted > 0) app.log.info({ deleted }, 'expired idempotency keys deleted');
      },
      (error: unknown) => {
        app.log.warn({ err: error }, 'could not delete expired idempotency keys');
      },
    );
  }, EXPIRY_INTERVAL_MS);
  timer.unref();
  app.addHook('onClose', (_instance, done) => {
    clearInterval(timer);
    done();
  });
}

function replayedHeaders(reply: FastifyReply): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) kept[name] = String(value);
  }
  return kept;
}

function replay(reply: FastifyReply, statusCode: number, headers: Record<string, string>, body: string): void {
  void reply
    .status(statusCode)
    .headers({ ...headers, 'idempotent-replayed': 'true' })
    .send(body);
}
