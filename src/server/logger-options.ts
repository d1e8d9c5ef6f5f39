import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from './settings.js';

/**
 * pino options of the server. Headers carry the Open2FA ID and the v2 token, bodies carry ciphertexts:
 * neither is ever logged, whatever a serializer or a log call passes along.
 */
export function loggerOptions(level: LogLevel, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers', 'req.body', 'res.headers', 'headers', 'body', 'request.headers', 'request.body'],
      remove: true,
    },
    ...(stream === undefined ? {} : { stream }),
  };
}
