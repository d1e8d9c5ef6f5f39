import { describe, expect, it } from 'vitest';
import { deriveV1Credentials, encryptV1, makeEntry } from '../../src/core/index.js';
import { parseRetryAfter } from '../../src/core/http/exchange.js';
import { readCredentials } from '../../src/web/credentials.js';
import { decryptEntries, filterEntries, groupCode, sortEntries } from '../../src/web/entries.js';
import { parseNewEntry } from '../../src/web/new-entry.js';
import { chooseClockOffset, describeSkew, estimateClockOffset, startTicker } from '../../src/web/server-clock.js';

const UUID = '692a3e6b-4bd4-400b-aa2b-8261695b5ffb';

describe('web UI logic (pure modules, run in Node)', () => {
  it('sorts by name ignoring case, unnamed last, and filters by every word', () => {
    const entries = sortEntries([
      { key: 'a', name: null },
      { key: 'b', name: 'github' },
      { key: 'c', name: 'AWS root' },
      { key: 'd', name: 'Bank' },
    ]);
    expect(entries.map((entry) => entry.name)).toEqual(['AWS root', 'Bank', 'github', null]);
    expect(filterEntries(entries, '  ROOT aws ').map((entry) => entry.key)).toEqual(['c']);
    expect(filterEntries(entries, 'unnamed').map((entry) => entry.key)).toEqual(['a']);
    expect(filterEntries(entries, '')).toBe(entries);
  });

  it('groups codes', () => {
    expect(groupCode('123456')).toBe('123 456');
    expect(groupCode('12345678')).toBe('1234 5678');
  });

  it('decrypts with the right key and counts what the key does not open', async () => {
    const { key } = await deriveV1Credentials(UUID);
    const other = await deriveV1Credentials('00000000-0000-4000-8000-000000000000');
    const stored = [
      { enc_secret: await encryptV1(key, 'jbsw y3dp ehpk 3pxp'), name: 'ok' },
      { enc_secret: await encryptV1(other.key, 'JBSWY3DPEHPK3PXP'), name: 'other key' },
      { enc_secret: await encryptV1(key, 'not base32!'), name: 'not a secret' },
      { enc_secret: '0OIl', name: 'not base58' },
    ];
    const result = await decryptEntries(key, stored);
    const encSecret = stored[0]?.enc_secret ?? '';
    expect(result.entries).toEqual([
      { ...makeEntry('JBSWY3DPEHPK3PXP', 'ok'), key: `v1:${encSecret}`, storage: { protocol: 'v1', encSecret } },
    ]);
    expect(result.failed).toBe(3);
  });

  it('checks the Secret before any request', async () => {
    const { id, secret } = await deriveV1Credentials(UUID);
    expect(readCredentials(id, secret)).toMatchObject({ ok: true, session: { id } });
    expect(readCredentials(id, 'abc')).toMatchObject({ ok: false, field: 'secret' });
    expect(readCredentials(id, `${secret}0`)).toMatchObject({ ok: false, field: 'secret' });
    expect(readCredentials('', secret)).toMatchObject({ ok: false, field: 'id' });
    expect(readCredentials('bad id!', secret)).toMatchObject({ ok: false, field: 'id' });
  });

  it.each([
    ['jbsw-y3dp ehpk3pxp', makeEntry('JBSWY3DPEHPK3PXP', null)],
    [
      'otpauth://totp/ACME:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME',
      makeEntry('JBSWY3DPEHPK3PXP', 'ACME: alice@example.com', { issuer: 'ACME', account: 'alice@example.com' }),
    ],
    ['otpauth://totp/GitHub?secret=jbswy3dpehpk3pxp', makeEntry('JBSWY3DPEHPK3PXP', 'GitHub', { account: 'GitHub' })],
    // v2 keeps every parameter, so links that v1 could not store are taken as they are.
    [
      'otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=7',
      makeEntry('JBSWY3DPEHPK3PXP', 'x', { type: 'hotp', counter: 7, account: 'x' }),
    ],
    [
      'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=8&period=60&algorithm=SHA256',
      makeEntry('JBSWY3DPEHPK3PXP', 'x', { algorithm: 'SHA256', digits: 8, period: 60, account: 'x' }),
    ],
  ])('accepts %s', (input, entry) => {
    expect(parseNewEntry(input)).toEqual({ ok: true, entry, name: entry.name });
  });

  it.each([
    ['', 'Enter a secret'],
    ['not base32 1890', 'not a base32 secret'],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9', 'digits must be 6 to 8'],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=SHA224', 'SHA224'],
    ['otpauth://totp/x?issuer=nosecret', 'not valid'],
    ['otpauth://totp/?secret=JBSWY3DPEHPK3PXP', 'not valid'],
  ])('rejects %j', (input, words) => {
    const result = parseNewEntry(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(words);
  });

  it('estimates the clock offset from the Date header and applies it only past 2 s', () => {
    const device = Date.UTC(2030, 0, 1, 12, 0, 0, 300);
    expect(estimateClockOffset(new Date(device).toUTCString(), device - 50, device + 50)).toBe(200);
    expect(estimateClockOffset(null, device, device)).toBeNull();
    expect(estimateClockOffset('not a date', device, device)).toBeNull();
    expect(chooseClockOffset(200, 0)).toBe(0);
    expect(chooseClockOffset(-2500.4, 0)).toBe(-2500);
    expect(chooseClockOffset(null, 4000)).toBe(4000);
    expect(describeSkew(-5000)).toBe('5 s');
    expect(describeSkew(300_000)).toBe('5 min 0 s');
    expect(describeSkew(7_500_000)).toBe('2 h 5 min');
  });

  it('ticks on every whole second of the given clock', () => {
    const delays: number[] = [];
    const original = globalThis.setTimeout;
    globalThis.setTimeout = ((_callback: () => void, delay: number) => {
      delays.push(delay);
      return 0;
    }) as unknown as typeof setTimeout;
    try {
      const ticks: number[] = [];
      startTicker(
        () => 29_250,
        (time) => ticks.push(time),
      )();
      expect(ticks).toEqual([29_250]);
      expect(delays).toEqual([750]);
    } finally {
      globalThis.setTimeout = original;
    }
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('42')).toBe(42);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 1_000)).toBe(9);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
