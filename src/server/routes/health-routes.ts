import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Store } from '../../store/store.js';
import type { Logger } from 'pino';
import { errorResponses } from './error-responses.js';

const Status = Type.Object({ status: Type.String() });

/** `/healthz`: the process answers. `/readyz`: the database answers and its schema is current. */
export function healthRoutes(store: Store, log: Logger): FastifyPluginAsyncTypebox {
  return (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['operations'],
          summary: 'The process is alive',
          response: { 200: { ...Status, description: 'The process answers' } },
        },
      },
      () => ({ status: 'ok' }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['operations'],
          summary: 'The database is reachable and migrated',
          response: { 200: { ...Status, description: 'Ready to serve' }, ...errorResponses(503) },
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
