import { describe, expect, it } from 'vitest';
import { toErrorAnswer } from '../../src/server/plugins/error-handler-plugin.js';
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
