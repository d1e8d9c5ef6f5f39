import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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
  V2WriteHeaders,
  V2WriteResponse,
} from '../../core/v2/wire.js';
import type { FastifyReply } from 'fastify';
import type { V2Service } from '../services/v2-service.js';
import { API_ERRORS, BODY_ERRORS, errorResponses } from './error-responses.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** `V2Service.put` or `V2Service.delete`. */
type ItemWrite = V2Service['put'];

/** The OpenAPI security requirement of every v2 route (openapi-plugin.ts defines the scheme). */
const BEARER_SECURITY = [{ bearerAuth: [] }];

const WRITTEN = { ...V2WriteResponse, description: 'The item at its new revision, and the account sequence number' };
const CONFLICT = {
  ...V2ConflictResponse,
  description: 'A stale base revision (with the current item), or a full quota (without)',
};

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
          security: BEARER_SECURITY,
          response: {
            200: { ...V2ChangesResponse, description: 'A page of changes; `more` says whether another follows' },
            ...errorResponses(400, 401, ...API_ERRORS),
          },
        },
      },
      async (request, reply) => {
        const account = service.account(request.headers.authorization);
        const { body, found } = await service.changesBody(account, request.query.since, request.query.limit);
        // An empty answer, but a token that names no account: it spends the failed-lookup budget.
        if (!found) request.lookupFailed = true;
        // Already serialised by the store: bytes are sent as they are (as the v1 pull does); the response
        // schema above still documents them, and the tests hold the bytes to it.
        return (reply as FastifyReply).type(JSON_TYPE).send(body);
      },
    );

    /** A write to one item at its base revision: PUT and DELETE differ in what they do and their body. */
    const itemWrite = (
      method: 'PUT' | 'DELETE',
      summary: string,
      body: typeof V2PutBody | typeof V2DeleteBody,
      write: ItemWrite,
    ) =>
      app.route({
        method,
        url: '/items/:id',
        config: { lookup: true, accountWrite },
        schema: {
          tags: ['v2'],
          summary,
          headers: V2WriteHeaders,
          params: V2ItemParams,
          body,
          security: BEARER_SECURITY,
          response: {
            200: WRITTEN,
            409: CONFLICT,
            ...errorResponses(400, 401, 404, 428, ...BODY_ERRORS, ...API_ERRORS),
          },
        },
        handler: async (request) => {
          const account = service.account(request.headers.authorization);
          return write(account, request.params.id, request.headers['if-match'], request.body.envelope);
        },
      });
    itemWrite(
      'PUT',
      'Create (If-Match "0"; the first create makes the account) or replace an item at its base revision',
      V2PutBody,
      (...args) => service.put(...args),
    );
    itemWrite(
      'DELETE',
      'Delete an item at its base revision, leaving a tombstone that keeps the sealed deletion',
      V2DeleteBody,
      (...args) => service.delete(...args),
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
          security: BEARER_SECURITY,
          response: {
            200: { ...V2AccountDeleteResponse, description: 'How many live items were erased' },
            ...errorResponses(400, 401, 404, ...BODY_ERRORS, ...API_ERRORS),
          },
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
