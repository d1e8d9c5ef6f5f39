import { describe, expect, it } from 'vitest';
import { toErrorAnswer } from '../../src/server/plugins/error-handler-plugin.js';
import { parseJsonBody } from '../../src/server/plugins/json-body-parser.js';
import { ServiceError } from '../../src/server/services/service-error.js';

describe('toErrorAnswer', () => {
  it('maps service errors to their status and message', () => {
    expect(toErrorAnswer(new ServiceError('unknown_user', 'who?'))).toEqual({ status: 404, detail: 'who?', extra: {} });
    expect(toErrorAnswer(new ServiceError('quota_exceeded', 'full'))).toEqual({
      status: 409,
      detail: 'full',
      extra: {},
    });
    expect(toErrorAnswer(new ServiceError('conflict', 'stale', { item: { id: 'x' } }))).toEqual({
      status: 409,
      detail: 'stale',
      extra: { item: { id: 'x' } },
    });
  });

  it('hides the message of unexpected errors', () => {
    const answer = toErrorAnswer(new Error('SELECT * FROM users WHERE secret = 42'));
    expect(answer).toEqual({ status: 500, detail: 'Internal Server Error' });
  });

  it('answers 503 when the database is unreachable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toErrorAnswer(refused).status).toBe(503);
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(toErrorAnswer(new Error('wrapped', { cause: terminated })).status).toBe(503);
    expect(toErrorAnswer(new Error('Connection terminated unexpectedly')).status).toBe(503);
  });

  it('keeps the message of client errors and never passes a 5xx status through with its message', () => {
    expect(toErrorAnswer(Object.assign(new Error('teapot'), { statusCode: 418 }))).toEqual({
      status: 418,
      detail: 'teapot',
    });
    expect(toErrorAnswer(Object.assign(new Error('secret internals'), { statusCode: 502 }))).toEqual({
      status: 500,
      detail: 'Internal Server Error',
    });
  });
});

describe('missing required headers keep the words and status the services gave them', () => {
  const missing = (property: string) =>
    Object.assign(new Error(`headers must have required property '${property}'`), {
      validation: [{ keyword: 'required', params: { missingProperty: property }, instancePath: '', schemaPath: '' }],
      validationContext: 'headers',
    });

  it('answers a missing X-User-Hash 400 in 1.x words, and a missing If-Match 428', () => {
    expect(toErrorAnswer(missing('x-user-hash'))).toEqual({ status: 400, detail: 'Missing X-User-Hash header' });
    expect(toErrorAnswer(missing('if-match'))).toEqual({
      status: 428,
      detail: 'send If-Match with the base revision ("0" to create)',
    });
  });

  it('leaves other validation errors to the usual rule (400 outside the body, 422 in it)', () => {
    expect(toErrorAnswer(missing('x-other'))).toEqual({
      status: 400,
      detail: "headers must have required property 'x-other'",
    });
    const body = Object.assign(new Error('body/totps must be array'), {
      validation: [{ keyword: 'type', params: {}, instancePath: '/totps', schemaPath: '' }],
      validationContext: 'body',
    });
    expect(toErrorAnswer(body)).toEqual({ status: 422, detail: 'body/totps must be array' });
  });
});

describe('parseJsonBody', () => {
  it('parses JSON, with or without a byte order mark', () => {
    expect(parseJsonBody('{"a":[1,{"b":null}]}')).toEqual({ a: [1, { b: null }] });
    expect(parseJsonBody('\ufeff[1]')).toEqual([1]);
  });

  it('answers malformed JSON as Fastify does (400 "not valid JSON")', () => {
    expect(() => parseJsonBody('{"a":')).toThrow(expect.objectContaining({ code: 'FST_ERR_CTP_INVALID_JSON_BODY' }));
    expect(toErrorAnswer(catchError(() => parseJsonBody('nope')))).toEqual({
      status: 400,
      detail: 'request body is not valid JSON',
    });
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a %s key at any depth, escaped or not, with 422',
    (key) => {
      const escaped = `\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${key.slice(1)}`;
      for (const text of [`{"${key}":1}`, `[[{"a":[{"${key}":{}}]}]]`, `{"x":{"${escaped}":null}}`]) {
        const answer = toErrorAnswer(catchError(() => parseJsonBody(text)));
        expect(answer.status, text).toBe(422);
        expect(answer.detail).toBe(
          `request body has a key named "${key}"; keys named __proto__, constructor and prototype are refused`,
        );
      }
    },
  );

  it('accepts the same words as values, and walks deep bodies without recursion', () => {
    expect(parseJsonBody('{"name":"__proto__ constructor prototype"}')).toEqual({
      name: '__proto__ constructor prototype',
    });
    const deep = `${'['.repeat(50_000)}"\\u0041"${']'.repeat(50_000)}`;
    expect(() => parseJsonBody(deep)).not.toThrow();
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
