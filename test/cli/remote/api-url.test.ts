import { describe, expect, it } from 'vitest';
import { wrongPathHint } from '../../../src/cli/remote/http/http-errors.js';
import { v1ApiBase } from '../../../src/cli/remote/remote-account.js';
import { v2ApiUrl } from '../../../src/cli/remote/v2/session.js';

describe('OPEN2FA_API_URL: the base URL, …/api/v1 or …/api/v2', () => {
  it.each([
    ['http://host:8000', 'http://host:8000/api/v1'],
    ['http://host:8000/', 'http://host:8000/api/v1'],
    ['http://host:8000/api/v1', 'http://host:8000/api/v1'],
    ['http://host:8000/api/v1/', 'http://host:8000/api/v1'],
    ['http://host:8000/api/v2', 'http://host:8000/api/v1'],
    ['https://host/open2fa/api/v2', 'https://host/open2fa/api/v1'],
    // Another path is kept (a proxy may mount the API elsewhere); a 404 there gets the hint.
    ['http://host:8000/wrong', 'http://host:8000/wrong'],
  ])('%s → v1 at %s', (configured, v1) => {
    expect(v1ApiBase(configured)).toBe(v1);
    expect(v2ApiUrl(v1ApiBase(configured))).toBe(v1.replace(/\/v1$/, '/v2').replace(/\/wrong$/, '/wrong/v2'));
  });

  it.each([
    [
      'http://host:8000/wrong/totps',
      '; OPEN2FA_API_URL looks like a path that is not an open2fa API (/wrong): did you mean http://host:8000 (or http://host:8000/api/v1)?',
    ],
    [
      'http://host:8000/api/v3/items?since=0',
      '; OPEN2FA_API_URL looks like an open2fa API path this server does not have (/api/v3): did you mean http://host:8000 (or http://host:8000/api/v1)?',
    ],
    ['not a url', ''],
  ])('a 404 at %s explains itself', (url, hint) => {
    expect(wrongPathHint(url)).toBe(hint);
  });
});
