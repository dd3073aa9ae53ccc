// Bearer API keys and their scopes. Three hooks, in request order:
// identify (onRequest: which key, if any, so the rate limiter can count per key),
// then the rate limiter, then enforce (preParsing: 401/403 before a body is read).
// The scope a route needs is declared on the route (config.scope; by default its
// method's); a route whose body can raise it (secrets) declares config.bodyScope,
// checked once the body is parsed. A route that loopback callers may use without
// a key declares config.openOnLoopback (the metrics scrape).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../api-error.js';
import { findKey, grants, type ApiKey, type Scope } from './api-keys.js';
import { isLoopback } from './settings.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key that authenticated this request; undefined when none did (or access control is off). */
    apiKey: ApiKey | undefined;
    /** An Authorization header was sent but names no key. */
    apiKeyRejected: boolean;
  }
  interface FastifyContextConfig {
    /** The scope this route needs; absent: its method's (read for GET, write, admin for DELETE). */
    scope?: Scope;
    /** A higher scope this body needs, e.g. admin for one that sets a secret; undefined: no more than `scope`. */
    bodyScope?: (body: unknown) => Scope | undefined;
    /** true: callers on this machine need no key; others still need `scope`. */
    openOnLoopback?: boolean;
  }
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="analytics-engine"' };

function scopeForMethod(method: string): Scope {
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
      return 'read';
    case 'DELETE':
      return 'admin';
    default:
      return 'write';
  }
}

export function registerKeyIdentification(app: FastifyInstance, keys: readonly ApiKey[]): void {
  app.decorateRequest('apiKey', undefined);
  app.decorateRequest('apiKeyRejected', false);
  if (keys.length === 0) return;
  app.addHook('onRequest', (request, _reply, done) => {
    const token = bearerToken(request.headers.authorization);
    if (token !== undefined) {
      request.apiKey = findKey(keys, token);
      request.apiKeyRejected = request.apiKey === undefined;
    }
    done();
  });
}

export function registerKeyEnforcement(app: FastifyInstance, keys: readonly ApiKey[]): void {
  if (keys.length === 0) return;
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const { config } = request.routeOptions;
    if (config.openOnLoopback && fromLoopback(request)) {
      done(undefined, payload);
      return;
    }
    done(refusal(request, config.scope ?? scopeForMethod(request.method)), payload);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const needed = request.routeOptions.config.bodyScope?.(request.body);
    done(needed ? refusal(request, needed) : undefined);
  });
}

/** The request came from this machine (its socket's address; no proxy header is trusted). */
export function fromLoopback(request: FastifyRequest): boolean {
  // undefined once the socket is gone, whatever the type says.
  const address = request.ip as string | undefined;
  return address !== undefined && isLoopback(address);
}

/** The 401/403 for a request whose key does not grant `needed`, or undefined when it does. */
function refusal(request: FastifyRequest, needed: Scope): ApiError | undefined {
  const key = request.apiKey;
  if (!key) {
    // Logged without the token, and without saying whether one was sent that almost matched.
    request.log.warn(
      { event: 'auth_failed', reason: request.apiKeyRejected ? 'unknown key' : 'no key', ip: request.ip },
      'request refused: no valid API key',
    );
    const message = request.apiKeyRejected
      ? 'the API key is not valid'
      : 'send an API key: Authorization: Bearer <token>';
    return new ApiError(401, 'UNAUTHENTICATED', message, undefined, CHALLENGE);
  }
  if (!grants(key.scope, needed)) {
    request.log.warn(
      { event: 'auth_forbidden', key: key.fingerprint, scope: key.scope, needed, ip: request.ip },
      'request refused: scope too narrow',
    );
    return new ApiError(
      403,
      'FORBIDDEN',
      `this operation needs the ${needed} scope; the API key presented has ${key.scope}`,
    );
  }
  return undefined;
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  // A header that is not a bearer token is an attempt that fails, not an absent key.
  return match?.[1] ?? '';
}
