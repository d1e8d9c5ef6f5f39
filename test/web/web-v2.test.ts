import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { entryCode, makeEntry, randomItemId, totpSecondsRemaining, type Entry } from '../../src/core/index.js';
import { browserSkipReason } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  newUser,
  noticeText,
  type PageRecorder,
  readRows,
  seed,
  storedEntries,
  unlock,
  type PlainEntry,
  type TestUser,
  usePageSession,
} from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';

const skip = browserSkipReason();

const V1_ENTRIES: readonly PlainEntry[] = [
  { secret: 'JBSWY3DPEHPK3PXP', name: 'Legacy GitHub' },
  { secret: 'KRSXG5CTMVRXEZLU', name: 'Legacy mail' },
];
const AWS = makeEntry('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'AWS', { algorithm: 'SHA256', digits: 8, period: 60 });
const BANK = makeEntry('I65VU7K5ZQL7WB4E', 'Bank (HOTP)', { type: 'hotp', counter: 5 });
const V2_ENTRIES: readonly Entry[] = [
  AWS,
  BANK,
  makeEntry('MFRGGZDFMZTWQ2LK', 'Steam', { type: 'steam' }),
  makeEntry('NBSWY3DPEB3W64TMMQQQ', null, { issuer: 'Forum', note: 'the old account' }),
];

/** How the page shows a code: split in the middle. */
const grouped = (code: string): string => `${code.slice(0, code.length >> 1)} ${code.slice(code.length >> 1)}`;

describe.skipIf(skip !== null)('the web UI with protocol v2 in Chromium', () => {
  let server: TestServer;
  let page: Page;
  let recorder: PageRecorder;
  let user: TestUser;
  let v2: V2TestClient;

  /** Never in a request: the UUID, the Secret and every plaintext secret. */
  const forbidden = (...extra: string[]): string[] => [
    user.uuid,
    user.secret,
    ...[...V1_ENTRIES, ...V2_ENTRIES].map((entry) => entry.secret),
    ...extra,
  ];

  const session = usePageSession({ permissions: ['clipboard-read', 'clipboard-write'] });
  beforeEach(() => {
    ({ server, page, recorder, user } = session());
    v2 = new V2TestClient(server, user);
  });

  /** Opens the page with its clock paused at `time`, and every API answer dated `time` (no skew). */
  async function openAt(time: number): Promise<void> {
    await page.clock.install({ time: time - 10_000 });
    await page.clock.pauseAt(time);
    await page.route('**/api/**', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), date: new Date(time).toUTCString() } });
    });
    await page.goto(`${server.origin}/`);
  }

  async function unlockAndWait(count: number): Promise<void> {
    await unlock(page, user.id, user.secret);
    await page
      .locator('#entry-list > li')
      .nth(count - 1)
      .waitFor();
  }

  const row = (name: string) => page.locator('#entry-list > li').filter({ hasText: name });

  it('shows v1 and v2 entries in one list, with the codes of each entry’s parameters', async () => {
    await seed(server, user, V1_ENTRIES);
    const items = await v2.seed(V2_ENTRIES);
    // A deleted item leaves a tombstone, which the page skips.
    const gone = await v2.put(makeEntry('ORSXG5A', 'Deleted'));
    expect((await v2.remove(gone.id, gone.rev)).status).toBe(200);
    const time = Date.UTC(2031, 5, 1, 12, 0, 17);
    await openAt(time);
    await unlockAndWait(6);

    const rows = await readRows(page);
    expect(rows.map((shown) => shown.name)).toEqual([
      'AWS',
      'Bank (HOTP)',
      'Legacy GitHub',
      'Legacy mail',
      'Steam',
      'Unnamed',
    ]);
    const expected = new Map<string, Entry>([
      ...V2_ENTRIES.map((entry) => [entry.name ?? 'Unnamed', entry] as const),
      ...V1_ENTRIES.map((entry) => [entry.name ?? '', makeEntry(entry.secret, entry.name)] as const),
    ]);
    for (const shown of rows) {
      const entry = expected.get(shown.name);
      expect(entry, shown.name).toBeDefined();
      if (entry === undefined) continue;
      expect(shown.code, shown.name).toBe(grouped(entryCode(entry, time)));
      expect(shown.countdown, shown.name).toBe(
        entry.type === 'hotp'
          ? `counter ${String(entry.counter)}`
          : `${String(totpSecondsRemaining(entry.period, time))} s`,
      );
    }
    expect(rows.find((shown) => shown.name === 'AWS')?.code).toMatch(/^\d{4} \d{4}$/);
    expect(rows.find((shown) => shown.name === 'AWS')?.countdown).toBe('43 s');
    // The v1 badge marks legacy entries only.
    expect(await page.locator('#entry-list > li:has(.badge) .entry-name').allTextContents()).toEqual([
      'Legacy GitHub',
      'Legacy mail',
    ]);
    expect(await page.locator('#notice').isHidden()).toBe(true);
    expect(items).toHaveLength(4);

    // Copy uses the entry's parameters too.
    await row('AWS').locator('.code').click();
    // Read once the page says it copied: the write is asynchronous.
    await expect.poll(() => page.locator('#toast').textContent()).toBe('Copied the code for AWS.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(entryCode(AWS, time));

    const api = recorder.apiRequests();
    expect(api.map((request) => `${request.method()} ${new URL(request.url()).pathname}`)).toEqual([
      'GET /api/v1/totps',
      'GET /api/v2/items',
    ]);
    expect(await api[1]?.headerValue('authorization')).toBe(`Bearer ${(await v2.keys()).authToken}`);
    await recorder.assertClean(server.origin, forbidden());
  });

  it('pages through more than one page of v2 items', async () => {
    // Seeding 503 items is more than the default rate limit allows in a minute: a server without one.
    const server = await startTestServer({ rateLimitMax: 0, rateLimitAccountWrites: 0 });
    onTestFinished(() => server.close());
    v2 = new V2TestClient(server, user);
    const many = Array.from({ length: 503 }, (_, index) =>
      makeEntry('JBSWY3DPEHPK3PXP', `Item ${String(index).padStart(3, '0')}`),
    );
    await v2.seed(many);
    await page.goto(`${server.origin}/`);
    await unlockAndWait(503);
    expect(await page.locator('#entries-count').textContent()).toBe('503 entries');
    const gets = recorder.apiRequests().filter((request) => request.url().includes('/api/v2/items'));
    expect(gets.map((request) => new URL(request.url()).searchParams.get('since'))).toEqual(['0', '500']);
  });

  it('advances an HOTP counter with If-Match and shows the next code', async () => {
    const [bank] = await v2.seed([BANK]);
    await page.goto(`${server.origin}/`);
    await unlockAndWait(1);
    const hotp = BANK;
    expect((await readRows(page))[0]?.code).toBe(grouped(entryCode(hotp)));
    await page.getByRole('button', { name: 'Next code for Bank (HOTP)' }).click();
    await expect.poll(() => noticeText(page)).toBe('Saved counter 6 for “Bank (HOTP)”.');
    expect(await readRows(page)).toMatchObject([
      { code: grouped(entryCode({ ...hotp, counter: 6 })), countdown: 'counter 6' },
    ]);
    expect(await v2.live()).toMatchObject([{ id: bank?.id, rev: 2, entry: { ...hotp, counter: 6 } }]);
    const put = recorder.apiRequests().find((request) => request.method() === 'PUT');
    expect(await put?.headerValue('if-match')).toBe('"1"');
    // Keyboard users stay on the code.
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('code');
  });

  it('warns about an envelope that fails integrity and shows the others', async () => {
    const [first, second] = await v2.seed(V2_ENTRIES);
    if (first === undefined || second === undefined) throw new Error('seeding failed');
    // A malicious server moves an envelope to another item, and flips one bit of another.
    const moved = await v2.seal(randomItemId(), makeEntry('ORSXG5A', 'Moved'));
    expect((await v2.request('PUT', `/api/v2/items/${first.id}`, { ifMatch: '"1"', envelope: moved })).status).toBe(
      200,
    );
    const envelope = await v2.seal(second.id, BANK);
    const flipped = `${envelope.slice(0, 20)}${envelope[20] === 'A' ? 'B' : 'A'}${envelope.slice(21)}`;
    expect((await v2.request('PUT', `/api/v2/items/${second.id}`, { ifMatch: '"1"', envelope: flipped })).status).toBe(
      200,
    );
    await seed(server, user, V1_ENTRIES);
    await page.goto(`${server.origin}/`);
    await unlockAndWait(4);
    expect(await noticeText(page)).toBe(
      '2 v2 entries failed their integrity check (changed or moved on the server) and are not shown.',
    );
    expect(await page.locator('#notice').getAttribute('class')).toContain('error');
    expect((await readRows(page)).map((shown) => shown.name)).toEqual([
      'Legacy GitHub',
      'Legacy mail',
      'Steam',
      'Unnamed',
    ]);
  });

  it('reloads and says so when a v2 entry changed on another device (409)', async () => {
    const [aws, bank] = await v2.seed(V2_ENTRIES.slice(0, 2));
    if (aws === undefined || bank === undefined) throw new Error('seeding failed');
    await page.goto(`${server.origin}/`);
    await unlockAndWait(2);
    // Another device renames AWS and deletes the bank entry meanwhile.
    await v2.put({ ...AWS, name: 'AWS (renamed elsewhere)' }, aws.id, aws.rev);

    await page.getByRole('button', { name: 'Rename AWS' }).click();
    await page.getByLabel('New name').fill('AWS root');
    await page.getByLabel('New name').press('Enter');
    await expect.poll(() => noticeText(page)).toBe('This entry was changed on another device; reloaded, try again.');
    expect((await readRows(page)).map((shown) => shown.name)).toEqual(['AWS (renamed elsewhere)', 'Bank (HOTP)']);
    expect((await v2.live()).find((item) => item.id === aws.id)?.entry?.name).toBe('AWS (renamed elsewhere)');

    // Now that the page has the new revision, the rename goes through.
    await page.getByRole('button', { name: 'Rename AWS (renamed elsewhere)' }).click();
    await page.getByLabel('New name').fill('AWS root');
    await page.getByLabel('New name').press('Enter');
    await expect.poll(() => noticeText(page)).toBe('Renamed to “AWS root”.');
    expect((await v2.live()).find((item) => item.id === aws.id)).toMatchObject({ rev: 3, entry: { name: 'AWS root' } });

    // A stale delete never removes an edit made elsewhere (docs/protocol.md §4).
    await v2.put({ ...BANK, note: 'edited elsewhere' }, bank.id, bank.rev);
    await page.getByRole('button', { name: 'Delete Bank (HOTP)' }).click();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => noticeText(page)).toBe('This entry was changed on another device; reloaded, try again.');
    expect((await v2.live()).find((item) => item.id === bank.id)?.entry?.note).toBe('edited elsewhere');
    expect((await readRows(page)).map((shown) => shown.name)).toEqual(['AWS root', 'Bank (HOTP)']);
    const writes = recorder
      .apiRequests()
      .filter((request) => request.method() !== 'GET')
      .map((request) => request.method());
    expect(writes).toEqual(['PUT', 'PUT', 'DELETE']);
  });

  it('renames and deletes v1 entries with v1 requests', async () => {
    await seed(server, user, V1_ENTRIES);
    await v2.seed([AWS]);
    await page.goto(`${server.origin}/`);
    await unlockAndWait(3);
    await page.getByRole('button', { name: 'Rename Legacy mail' }).click();
    await page.getByLabel('New name').fill('Old mail');
    await page.getByLabel('New name').press('Enter');
    await expect.poll(() => noticeText(page)).toBe('Renamed to “Old mail”.');
    await page.getByRole('button', { name: 'Delete Legacy GitHub' }).click();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => noticeText(page)).toBe('Deleted “Legacy GitHub”.');
    expect(await storedEntries(server, user)).toMatchObject([{ name: 'Old mail', secret: V1_ENTRIES[1]?.secret }]);
    expect((await readRows(page)).map((shown) => shown.name)).toEqual(['AWS', 'Old mail']);
    expect(await v2.live()).toHaveLength(1);
    expect(recorder.apiRequests().map((request) => `${request.method()} ${new URL(request.url()).pathname}`)).toEqual([
      'GET /api/v1/totps',
      'GET /api/v2/items',
      'POST /api/v1/totps',
      'DELETE /api/v1/totps',
    ]);
    await recorder.assertClean(server.origin, forbidden());
  });

  it('someone who knows the ID cannot plant entries in the account, and no v2 token is sent that v1 entries refute', async () => {
    // Protocol revision 2: a v2 account is its token. Another Secret writing "with this ID" writes to an
    // account of its own; the owner's page never sees it and the owner is never locked out.
    const other = await newUser();
    const intruder = new V2TestClient(server, { ...user, key: other.key });
    await intruder.put(makeEntry('JBSWY3DPEHPK3PXP', 'planted'));
    await page.goto(`${server.origin}/`);
    await unlock(page, user.id, user.secret);
    await expect.poll(() => noticeText(page)).toContain('Nothing is stored for this Open2FA ID yet');
    expect(await page.getByText('planted').count()).toBe(0);

    // With v1 entries, a wrong Secret is caught by them and no v2 request (which would bind) is made.
    const third = await newUser();
    await seed(server, third, V1_ENTRIES);
    const before = recorder.apiRequests().length;
    await unlock(page, third.id, other.secret);
    await expect.poll(() => noticeText(page)).toContain('The Open2FA Secret does not match this Open2FA ID');
    expect(
      recorder
        .apiRequests()
        .slice(before)
        .map((request) => new URL(request.url()).pathname),
    ).toEqual(['/api/v1/totps']);
    await recorder.assertClean(server.origin, forbidden(other.uuid, other.secret, third.uuid, third.secret));
  });
});
