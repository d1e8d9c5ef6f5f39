import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  V2ChangesQuery,
  V2ChangesResponse,
  V2ConflictResponse,
  V2Headers,
  V2ItemParams,
  V2PutBody,
  V2WriteHeaders,
  V2WriteResponse,
} from '../../core/wire/v2-wire.js';
import type { V2Service } from '../services/v2-service.js';
import { API_ERRORS, BODY_ERRORS, errorResponses } from './error-responses.js';

/** The OpenAPI security requirement of every v2 route (openapi-plugin.ts defines the scheme). */
const BEARER_SECURITY = [{ bearerAuth: [] }];

const WRITTEN = { ...V2WriteResponse, description: 'The item at its new revision, and the account sequence number' };
const CONFLICT = {
  ...V2ConflictResponse,
  description: 'A stale base revision (with the current item), or a full quota (without)',
};

/** Protocol v2 (docs/protocol.md §3): authenticated, revisioned, tombstoned items. */
export function v2Routes(service: V2Service): FastifyPluginAsyncTypebox {
  return (app) => {
    app.get(
      '/items',
      {
        config: { lookup: true },
        schema: {
          tags: ['v2'],
          summary: 'Changes after a sequence number (tombstones included), paged',
          headers: V2Headers,
          querystring: V2ChangesQuery,
          security: BEARER_SECURITY,
          response: {
            200: { ...V2ChangesResponse, description: 'A page of changes; `more` says whether another follows' },
            ...errorResponses(400, 401, ...API_ERRORS),
          },
        },
      },
      async (request) => {
        const user = await service.reader(request.headers['x-user-hash'], request.headers.authorization);
        return service.changes(user, request.query.since, request.query.limit);
      },
    );

    app.put(
      '/items/:id',
      {
        config: { lookup: true },
        schema: {
          tags: ['v2'],
          summary: 'Create (If-Match "0") or replace an item at its base revision',
          headers: V2WriteHeaders,
          params: V2ItemParams,
          body: V2PutBody,
          security: BEARER_SECURITY,
          response: {
            200: WRITTEN,
            409: CONFLICT,
            ...errorResponses(400, 401, 404, 428, ...BODY_ERRORS, ...API_ERRORS),
          },
        },
      },
      async (request) => {
        const user = await service.writer(request.headers['x-user-hash'], request.headers.authorization);
        return service.put(user, request.params.id, request.headers['if-match'], request.body.envelope);
      },
    );

    app.delete(
      '/items/:id',
      {
        config: { lookup: true },
        schema: {
          tags: ['v2'],
          summary: 'Delete an item at its base revision, leaving a tombstone',
          headers: V2WriteHeaders,
          params: V2ItemParams,
          security: BEARER_SECURITY,
          response: {
            200: WRITTEN,
            409: CONFLICT,
            ...errorResponses(400, 401, 404, 428, ...BODY_ERRORS, ...API_ERRORS),
          },
        },
      },
      async (request) => {
        const user = await service.writer(request.headers['x-user-hash'], request.headers.authorization);
        return service.delete(user, request.params.id, request.headers['if-match']);
      },
    );
    return Promise.resolve();
  };
}
