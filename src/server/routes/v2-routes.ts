import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../core/v1/wire.js';
import {
  V2AccountDeleteBody,
  V2AccountDeleteResponse,
  V2ChangesQuery,
  V2ChangesResponse,
  V2ConflictResponse,
  V2DeleteBody,
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

/**
 * Protocol v2 revision 2 (docs/protocol.md §3): accounts keyed by the bearer token, revisioned items,
 * sealed tombstones, account deletion. `X-User-Hash` plays no part; when an older client still sends
 * it, the header schema holds it to v1's rule.
 */
export function v2Routes(service: V2Service): FastifyPluginAsyncTypebox {
  const accountWrite = (authorization: string | undefined) => service.writeBudgetKey(authorization);
  return (app) => {
    app.get(
      '/items',
      {
        config: { lookup: true },
        schema: {
          tags: ['v2'],
          summary: 'Changes after a sequence number (tombstones included), paged; an unknown account reads empty',
          headers: V2Headers,
          querystring: V2ChangesQuery,
          response: { 200: V2ChangesResponse, ...errors },
        },
      },
      async (request) => {
        const account = service.account(request.headers.authorization);
        const { changes, found } = await service.changes(account, request.query.since, request.query.limit);
        // An empty answer, but a token that names no account: it spends the failed-lookup budget.
        if (!found) request.lookupFailed = true;
        return changes;
      },
    );

    app.put(
      '/items/:id',
      {
        config: { lookup: true, accountWrite },
        schema: {
          tags: ['v2'],
          summary: 'Create (If-Match "0"; the first create makes the account) or replace an item at its base revision',
          headers: V2Headers,
          params: V2ItemParams,
          body: V2PutBody,
          response: { 200: V2WriteResponse, 409: V2ConflictResponse, ...errors },
        },
      },
      async (request) => {
        const account = service.account(request.headers.authorization);
        return service.put(account, request.params.id, request.headers['if-match'], request.body.envelope);
      },
    );

    app.delete(
      '/items/:id',
      {
        config: { lookup: true, accountWrite },
        schema: {
          tags: ['v2'],
          summary: 'Delete an item at its base revision, leaving a tombstone that keeps the sealed deletion',
          headers: V2Headers,
          params: V2ItemParams,
          body: V2DeleteBody,
          response: { 200: V2WriteResponse, 409: V2ConflictResponse, ...errors },
        },
      },
      async (request) => {
        const account = service.account(request.headers.authorization);
        return service.delete(account, request.params.id, request.headers['if-match'], request.body.envelope);
      },
    );

    app.delete(
      '/account',
      {
        config: { lookup: true, accountWrite },
        schema: {
          tags: ['v2'],
          summary: "Erase the account: every item, tombstone and the account's row; answers the items erased",
          headers: V2Headers,
          body: V2AccountDeleteBody,
          response: { 200: V2AccountDeleteResponse, ...errors },
        },
        // No body at all is the same as `{}`; anything else is held to the schema.
        preValidation: (request, _reply, done) => {
          // Typed as the schema's `{}`, but undefined before validation when nothing was sent.
          if ((request.body as unknown) === undefined) request.body = {};
          done();
        },
      },
      async (request) => ({ deleted: await service.deleteAccount(service.account(request.headers.authorization)) }),
    );
    return Promise.resolve();
  };
}
