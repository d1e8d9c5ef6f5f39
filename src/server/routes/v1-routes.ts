import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  V1_USER_HASH_HEADER,
  V1_USER_HASH_PATTERN,
  V1DeleteResponse,
  V1EncSecretParams,
  V1LegacyDeleteResponse,
  V1ListResponse,
  V1PushResponse,
  V1StatusResponse,
  V1StoredTotp,
  V1TotpsBody,
} from '../../core/v1/wire.js';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { V1Service } from '../services/v1-service.js';
import { API_ERRORS, BODY_ERRORS, errorResponses } from './error-responses.js';

/**
 * Required, and named by the `userHash` security scheme too (openapi-plugin.ts). A missing header is
 * still answered with 1.x's words and status (error-handler-plugin.ts).
 */
const UserHashHeaders = Type.Object({
  [V1_USER_HASH_HEADER]: Type.String({
    pattern: V1_USER_HASH_PATTERN,
    description: 'The Open2FA ID (base58; older clients sent 32 hex characters)',
  }),
});

/** The OpenAPI security requirement of every v1 route that reads or writes a user's entries. */
const USER_HASH_SECURITY = [{ userHash: [] }];

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The legacy v1 API, wire-compatible with the open2fa 1.x Python client: same paths, bodies and
 * status codes, with `{"detail": "..."}` errors as FastAPI wrote them.
 */
export function v1Routes(service: V1Service): FastifyPluginAsyncTypebox {
  return (app) => {
    app.get(
      '/',
      {
        schema: {
          tags: ['v1'],
          summary: 'Liveness of the v1 API',
          response: { 200: { ...V1StatusResponse, description: 'The v1 API answers' }, ...errorResponses(429) },
        },
      },
      () => ({ status: 'ok' as const }),
    );

    app.get(
      '/totps',
      {
        config: { lookup: true },
        schema: {
          tags: ['v1'],
          summary: "List the user's encrypted entries in insertion order",
          headers: UserHashHeaders,
          security: USER_HASH_SECURITY,
          response: {
            200: { ...V1ListResponse, description: "The user's entries" },
            ...errorResponses(400, 404, ...API_ERRORS),
          },
        },
      },
      async (request, reply) => {
        const body = await service.listBody(request.headers[V1_USER_HASH_HEADER]);
        // Already serialised (the stored list document): bytes are sent as they are; the response
        // schema above still documents them, and the tests hold the bytes to it.
        return (reply as FastifyReply).type(JSON_TYPE).send(body);
      },
    );

    app.post(
      '/totps',
      {
        schema: {
          tags: ['v1'],
          summary: 'Create the user if new and upsert entries by enc_secret',
          headers: UserHashHeaders,
          security: USER_HASH_SECURITY,
          body: V1TotpsBody,
          response: {
            200: { ...V1PushResponse, description: "The user's entries after the push" },
            ...errorResponses(400, 409, ...BODY_ERRORS, ...API_ERRORS),
          },
        },
      },
      async (request) => {
        const result = await service.push(request.headers[V1_USER_HASH_HEADER], request.body.totps);
        return { user_created: result.userCreated, totps: result.totps };
      },
    );

    app.delete(
      '/totps',
      {
        config: { lookup: true },
        schema: {
          tags: ['v1'],
          summary: 'Delete entries by enc_secret; answers the number deleted',
          description:
            'Names are ignored. 1.x answered the number of entries left; this server answers the number deleted.',
          headers: UserHashHeaders,
          security: USER_HASH_SECURITY,
          body: V1TotpsBody,
          response: {
            200: { ...V1DeleteResponse, description: 'How many of the given entries were deleted' },
            ...errorResponses(400, 404, ...BODY_ERRORS, ...API_ERRORS),
          },
        },
      },
      async (request) => ({ deleted: await service.delete(request.headers[V1_USER_HASH_HEADER], request.body.totps) }),
    );

    // The one-entry routes of the 1.x server before its list-body API (its tests.py still calls them).
    app.get(
      '/totps/:enc_secret',
      {
        config: { lookup: true },
        schema: {
          tags: ['v1'],
          summary: 'Legacy: one entry by its enc_secret',
          description: "As 1.x answered it, minus the `uhash` field: the server does not echo the caller's Open2FA ID.",
          headers: UserHashHeaders,
          params: V1EncSecretParams,
          security: USER_HASH_SECURITY,
          response: {
            200: { ...V1StoredTotp, description: 'The entry' },
            // A long non-ASCII enc_secret, percent-encoded, can outgrow the request head.
            ...errorResponses(400, 404, 431, ...API_ERRORS),
          },
        },
      },
      async (request) => service.findOne(request.headers[V1_USER_HASH_HEADER], request.params.enc_secret),
    );

    app.delete(
      '/totp/:enc_secret',
      {
        config: { lookup: true },
        schema: {
          tags: ['v1'],
          summary: 'Legacy: delete one entry by its enc_secret',
          headers: UserHashHeaders,
          params: V1EncSecretParams,
          security: USER_HASH_SECURITY,
          response: {
            200: { ...V1LegacyDeleteResponse, description: 'The entry was deleted' },
            ...errorResponses(400, 404, 431, ...BODY_ERRORS, ...API_ERRORS),
          },
        },
      },
      async (request) => {
        await service.deleteOne(request.headers[V1_USER_HASH_HEADER], request.params.enc_secret);
        return { success: true as const };
      },
    );

    // Not in open2fa 1.x: anyone who knows a v1 ID can already delete every entry, so this adds no power.
    app.delete(
      '/account',
      {
        config: { lookup: true },
        schema: {
          tags: ['v1'],
          summary: "Erase the user: every entry, the stored list and the user's row; answers the entries erased",
          headers: UserHashHeaders,
          security: USER_HASH_SECURITY,
          response: {
            200: { ...V1DeleteResponse, description: 'How many entries were erased' },
            ...errorResponses(400, 404, ...BODY_ERRORS, ...API_ERRORS),
          },
        },
      },
      async (request) => ({ deleted: await service.deleteAccount(request.headers[V1_USER_HASH_HEADER]) }),
    );
    return Promise.resolve();
  };
}
