import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../core/v1/wire.js';
import {
  V2ChangesQuery,
  V2ChangesResponse,
  V2ConflictResponse,
  V2Headers,
  V2ItemParams,
  V2PutBody,
  V2WriteResponse,
} from '../../core/v2/wire.js';
import type { V2Service } from '../services/v2-service.js';

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  404: ErrorResponse,
  413: ErrorResponse,
  422: ErrorResponse,
  428: ErrorResponse,
  429: ErrorResponse,
  503: ErrorResponse,
} as const;

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
          response: { 200: V2ChangesResponse, ...errors },
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
          headers: V2Headers,
          params: V2ItemParams,
          body: V2PutBody,
          response: { 200: V2WriteResponse, 409: V2ConflictResponse, ...errors },
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
          headers: V2Headers,
          params: V2ItemParams,
          response: { 200: V2WriteResponse, 409: V2ConflictResponse, ...errors },
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
