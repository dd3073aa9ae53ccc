// pino options shared by every service: JSON lines (pretty only on a terminal),
// request ids, and redaction as a second line of defence — routes never log
// bodies, and secrets never reach a log call in the first place.
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
