import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { renderApiDocs, type OpenApiDocument } from './api-docs-page.js';

/**
 * The OpenAPI 3 document, generated from the route schemas (register before any route), served at
 * `/api/openapi.json`, with a readable page at `/api/docs` rendered on the server: no script, so it
 * lives under the same strict CSP as everything else.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'open2fa',
        version,
        description:
          'Sync API for TOTP secrets encrypted on the client. The server stores ciphertexts keyed by a hash of the anonymous Open2FA ID.',
      },
      tags: [
        { name: 'v1', description: 'Legacy API, wire-compatible with the open2fa 1.x Python client' },
        {
          name: 'v2',
          description: 'Protocol v2: authenticated, revisioned, metadata-private items (docs/protocol.md)',
        },
        { name: 'operations', description: 'Health and readiness' },
      ],
    },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  app.get('/api/docs', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderApiDocs(app.swagger() as unknown as OpenApiDocument)),
  );
}
