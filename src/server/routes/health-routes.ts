import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../../core/v1/wire.js';
import type { Store } from '../../store/store.js';
import type { Logger } from 'pino';

const Status = Type.Object({ status: Type.String() });

/** `/healthz`: the process answers. `/readyz`: the database answers and its schema is current. */
export function healthRoutes(store: Store, log: Logger): FastifyPluginAsyncTypebox {
  return (app) => {
    app.get(
      '/healthz',
      { schema: { tags: ['operations'], summary: 'The process is alive', response: { 200: Status } } },
      () => ({ status: 'ok' }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['operations'],
          summary: 'The database is reachable and migrated',
          response: { 200: Status, 503: ErrorResponse },
        },
      },
      async (request, reply) => {
        try {
          await store.ping();
          return { status: 'ready' };
        } catch (error) {
          log.warn({ reqId: request.id, err: error }, 'not ready');
          return reply.code(503).header('retry-after', '5').send({ detail: 'the database is unavailable' });
        }
      },
    );
    return Promise.resolve();
  };
}
