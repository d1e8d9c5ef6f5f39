/**
 * The open2fa 1.x server's own test suite, `tests.py` of the cc-d/open2fa-server repository, ported to
 * run over HTTP against this server (a listening server, real requests). Each Python test is one test
 * here, with the same name and the same assertions, written from what it checks (not translated line
 * by line). Eight come from the version whose client targets `/api/v1` and sends `{"totps": [...]}`
 * bodies; `test_multiple_user_same_totp` and `test_totp_create_exists` exist only in the version before
 * it (single-entry bodies at the root) and are kept because the README of that repository lists them.
 *
 * Where this server deliberately differs from the version a test was written for, the test asserts our
 * answer and says why; every such difference is the behaviour of the last 1.x server, which the 1.x
 * client speaks.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let api: string;

beforeAll(async () => {
  server = await startTestServer({ rateLimitMax: 0, rateLimitFailedLookups: 0, processMetrics: false });
  api = `${server.origin}/api/v1`;
});
afterAll(() => server.close());

/** `_testuuid()`: a uuid4 without dashes, the user hash of every test. */
function testUuid(): string {
  return randomUUID().replaceAll('-', '');
}

/** `ranstr(32)`: 32 random letters and digits. */
function ranstr(length: number): string {
  return randomBytes(length).toString('base64url').replace(/[-_]/g, 'x').slice(0, length);
}

interface Answer {
  readonly status: number;
  readonly json: unknown;
}

async function call(method: string, path: string, userHash?: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(userHash === undefined ? {} : { 'X-User-Hash': userHash }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

type Totp = Readonly<Record<string, unknown>>;

describe('tests.py of the open2fa 1.x server', () => {
  it('test_index_status', async () => {
    const r = await call('GET', '/');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ok' });
  });

  it('test_no_user_hash', async () => {
    const r = await call('GET', '/totps');
    expect(r.status).toBe(400);
  });

  it('test_no_user_found', async () => {
    const r = await call('GET', '/totps', testUuid());
    expect(r.status).toBe(404);
  });

  it('test_create_totp_no_org', async () => {
    const [sec, uid] = [ranstr(32), testUuid()];
    const r = await call('POST', '/totps', uid, { totps: [{ enc_secret: sec }] });
    expect(r.status).toBe(200);
    const { totps } = r.json as { totps: Totp[] };
    expect(totps).not.toHaveLength(0);
    for (const totp of totps) {
      expect(totp.enc_secret).toBe(sec);
      // The test read `org_name`; the field became `name` before the last 1.x release, which its
      // client speaks: an unnamed entry answers `name: null`.
      expect(totp.name).toBeNull();
    }
  });

  it('test_user_exists', async () => {
    const uid = testUuid();
    let r = await call('POST', '/totps', uid, { totps: [{ enc_secret: ranstr(32) }] });
    expect(r.status).toBe(200);
    expect((r.json as { user_created: boolean }).user_created).toBe(true);
    r = await call('POST', '/totps', uid, { totps: [{ enc_secret: ranstr(32) }] });
    expect(r.status).toBe(200);
    expect((r.json as { user_created: boolean }).user_created).toBe(false);
  });

  it('test_multiple_user_same_totp', async () => {
    const [sec, org] = [ranstr(32), ranstr(32)];
    for (const uid of [testUuid(), testUuid()]) {
      const r = await call('POST', '/totps', uid, { totps: [{ enc_secret: sec, name: org }] });
      expect(r.status).toBe(200);
      const answer = r.json as { user_created: boolean; totps: Totp[] };
      expect(answer.totps).toEqual([{ enc_secret: sec, name: org }]);
      expect(answer.user_created).toBe(true);
      // That version shared one row between users with the same ciphertext and said whether the row was
      // new (`newly_created`: true, then false). Entries here belong to one user each, so two users'
      // copies never touch, and the last 1.x server dropped the field: it is absent.
      expect(answer).not.toHaveProperty('newly_created');
    }
  });

  it('test_list_totps', async () => {
    const uid = testUuid();
    const totps = Array.from({ length: 5 }, () => ({ enc_secret: ranstr(32) }));
    await call('POST', '/totps', uid, { totps });
    // That version answered a bare array; the last 1.x server (and this one) wraps it: {"totps": [...]}.
    const listed = (await call('GET', '/totps', uid)).json as { totps: Totp[] };
    expect(listed.totps).toHaveLength(totps.length);
    const r = await call('GET', '/totps', uid);
    expect(r.status).toBe(200);
    expect((r.json as { totps: Totp[] }).totps).toHaveLength(totps.length);
  });

  it('test_delete_totp', async () => {
    const uuid = testUuid();
    const totpSec = ranstr(32);
    await call('POST', '/totps', uuid, { totps: [{ enc_secret: totpSec }] });
    const r = await call('DELETE', `/totp/${totpSec}`, uuid);
    expect(r.status).toBe(200);
  });

  it('test_totp_create_exists', async () => {
    const [uid, totp] = [testUuid(), ranstr(32)];
    await call('POST', '/totps', uid, { totps: [{ enc_secret: totp }] });
    const r = await call('POST', '/totps', uid, { totps: [{ enc_secret: totp }] });
    // That version answered 409 to a ciphertext the user already had. The last 1.x server upserts
    // instead (the 1.x client pushes its whole list on every push, so a 409 would fail every second
    // push): 200, and still one entry.
    expect(r.status).toBe(200);
    expect((r.json as { totps: Totp[] }).totps).toEqual([{ enc_secret: totp, name: null }]);
  });

  it('test_no_totp_for_user_with_enc_secret', async () => {
    const [uid, totp] = [testUuid(), ranstr(32)];
    await call('POST', '/totps', uid, { totps: [{ enc_secret: totp }] });
    const r = await call('GET', `/totps/${ranstr(32)}`, uid);
    expect(r.status).toBe(404);
  });
});
