import { pino, type Logger } from 'pino';
import type { LogLevel } from './settings.js';

/**
 * The server's logger (pino, JSON lines). Headers carry the Open2FA ID and the v2 token, bodies carry
 * ciphertexts: neither is ever logged, whatever a serializer or a log call passes along.
 */
export function createServerLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    redact: {
      paths: ['req.headers', 'req.body', 'res.headers', 'headers', 'body', 'request.headers', 'request.body'],
      remove: true,
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** A logger that writes nothing (tests, and apps built without one). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Whether a request gets its own log lines ("incoming request", "request completed"): only at info
 * and below. Above it, Fastify is given no logger at all, which spares every request a child logger
 * and the response listeners that would only feed those lines (bench/profile-notes.md); the server's
 * own warnings and errors go to the same logger directly, with the request id.
 */
export function logsEachRequest(log: Logger): boolean {
  return log.isLevelEnabled('info');
}
