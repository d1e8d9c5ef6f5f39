import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorResponse,
  V1_USER_HASH_HEADER,
  V1_USER_HASH_PATTERN,
  V1DeleteResponse,
  V1ListResponse,
  V1PushResponse,
  V1StatusResponse,
  V1TotpsBody,
} from '../../core/v1/wire.js';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { V1Service } from '../services/v1-service.js';

const UserHashHeaders = Type.Object({
  [V1_USER_HASH_HEADER]: Type.Optional(
    Type.String({ pattern: V1_USER_HASH_PATTERN, description: 'The Open2FA ID (base58); required' }),
  ),
});

const JSON_TYPE = 'application/json; charset=utf-8';

const errors = {
  400: ErrorResponse,
  404: ErrorResponse,
  413: ErrorResponse,
  422: ErrorResponse,
  429: ErrorResponse,
  503: ErrorResponse,
} as const;

/**
 * The legacy v1 API, wire-compatible with the open2fa 1.x Python client: same paths, bodies and
 * status codes, with `{"detail": "..."}` errors as FastAPI wrote them.
 */
export function v1Routes(service: V1Service): FastifyPluginAsyncTypebox {
  return (app) => {
    app.get(
      '/',
      { schema: { tags: ['v1'], summary: 'Liveness of the v1 API', response: { 200: V1StatusResponse } } },
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
          response: { 200: V1ListResponse, ...errors },
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
          body: V1TotpsBody,
          response: { 200: V1PushResponse, 409: ErrorResponse, ...errors },
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
          headers: UserHashHeaders,
          body: V1TotpsBody,
          response: { 200: V1DeleteResponse, ...errors },
        },
      },
      async (request) => ({ deleted: await service.delete(request.headers[V1_USER_HASH_HEADER], request.body.totps) }),
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
          response: { 200: V1DeleteResponse, ...errors },
        },
      },
      async (request) => ({ deleted: await service.deleteAccount(request.headers[V1_USER_HASH_HEADER]) }),
    );
    return Promise.resolve();
  };
}
