import { pino, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './settings.js';

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

/** Where the process logs: stdout, and whether it is a terminal. */
export interface LogOutput extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
}

/**
 * The process's logger for `LOG_FORMAT`: JSON lines (for journald, Docker and log shippers), or
 * readable lines on a terminal (`auto` picks by `isTTY`). pino-pretty is imported only when used, so a
 * JSON server never loads it. Redaction happens before either format sees a line.
 */
export async function openServerLogger(
  level: LogLevel,
  format: LogFormat,
  output: LogOutput = process.stdout,
): Promise<Logger> {
  if (!prettyWanted(format, output)) return createServerLogger(level, output);
  const { PinoPretty: pretty } = await import('pino-pretty');
  return createServerLogger(
    level,
    pretty({
      destination: output,
      colorize: output.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    }),
  );
}

export function prettyWanted(format: LogFormat, output: { readonly isTTY?: boolean }): boolean {
  return format === 'pretty' || (format === 'auto' && output.isTTY === true);
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
