// pino options shared by every service: JSON lines (pretty only on a terminal),
// request ids, and redaction as a second line of defence — routes never log
// bodies, and secrets never reach a log call in the first place.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import type { LogLevel } from './config.js';

/** Paths censored wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.connection_string',
  '*.credentials',
  '*.*.password',
  '*.*.connection_string',
  'body',
  '*.body',
];

export function loggerOptions({
  logLevel: level,
  production,
}: {
  logLevel: LogLevel;
  production: boolean;
}): LoggerOptions {
  const pretty = process.stdout.isTTY && !production;
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}

/**
 * Fastify's two lines per request ('incoming request', 'request completed') at
 * debug instead of info: at the default level a request writes no line unless
 * something happens to it (an error, a warning; 'request errored' stays at
 * error), and every line written carries its reqId. pino's call for a level
 * that is off does nothing, so they cost nothing below debug.
 */
export class RequestLogAtDebug extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
    else if (!this.isLogDisabled(request))
      reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
