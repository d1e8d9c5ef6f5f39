import { describe, expect, it } from 'vitest';
import { makeEntry, type Entry } from '../../../src/core/entry/model.js';
import { parseImport, type DetectedImport } from '../../../src/core/formats/import-detect.js';
import type { ImportItem } from '../../../src/core/formats/import-item.js';
import {
  aegisEntry,
  aegisVault,
  andOtpBackup,
  andOtpEntry,
  base32Bytes,
  bitwardenExport,
  migrationUri,
  SECRET_A,
  SECRET_B,
  SECRET_C,
  twoFasBackup,
  twoFasService,
} from './format-fixtures.js';

/** `expect.stringMatching`, typed as the string it stands for (the matcher itself is `any`). */
function like(pattern: RegExp): string {
  return expect.stringMatching(pattern) as string;
}

function entriesOf(detected: DetectedImport): {
  format: string;
  items: readonly ImportItem[];
  warnings: readonly string[];
} {
  if (detected.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(detected)}`);
  return detected;
}

function okEntries(items: readonly ImportItem[]): Entry[] {
  return items.map((item) => {
    if (!item.ok) throw new Error(`${item.label}: ${item.problem}`);
    return item.entry;
  });
}

function problems(items: readonly ImportItem[]): [string, string][] {
  return items.flatMap((item) => (item.ok ? [] : [[item.label, item.problem] as [string, string]]));
}

const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter', { type: 'hotp', counter: 5, issuer: 'Counter' }),
];

describe('otpauth:// lines (plain text, Ente Auth plain export)', () => {
  it('reads every type and parameter, skipping blank lines and comments', () => {
    const text = [
      '# exported by an authenticator',
      `otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub`,
      '',
      `otpauth://totp/Bank%3Abob?secret=${SECRET_B.toLowerCase()}&issuer=Bank&algorithm=SHA256&digits=8&period=60`,
      `otpauth://hotp/Counter?secret=${SECRET_C}&issuer=Counter&counter=5`,
      `otpauth://steam/Steam:gamer?secret=${SECRET_A}&issuer=Steam&codeDisplay=%7B%22pinned%22%3Afalse%2C%22note%22%3A%22backup%20codes%20in%20drawer%22%7D`,
    ].join('\r\n');
    const { format, items } = entriesOf(parseImport(text));
    expect(format).toBe('otpauth');
    expect(okEntries(items)).toEqual([
      ...EXPECTED,
      makeEntry(SECRET_A, 'Steam:gamer', {
        type: 'steam',
        issuer: 'Steam',
        account: 'gamer',
        note: 'backup codes in drawer',
      }),
    ]);
    expect(items[0]?.label).toBe('line 2 "GitHub:alice"');
  });

  const mustReject: [string, string, RegExp][] = [
    ['bad base32', `otpauth://totp/x?secret=JBSWY3DP!`, /not base32/],
    ['no secret', 'otpauth://totp/x?issuer=y', /no secret/],
    ['unknown algorithm', `otpauth://totp/x?secret=${SECRET_A}&algorithm=MD5`, /unknown algorithm "MD5"/],
    ['digits out of range', `otpauth://totp/x?secret=${SECRET_A}&digits=10`, /digits must be 6 to 8/],
    ['digits not a number', `otpauth://totp/x?secret=${SECRET_A}&digits=six`, /digits is not a whole number/],
    ['period zero', `otpauth://totp/x?secret=${SECRET_A}&period=0`, /period/],
    ['unknown type', `otpauth://motp/x?secret=${SECRET_A}`, /unsupported type "motp"/],
    ['broken escape', `otpauth://totp/x%ZZ?secret=${SECRET_A}`, /%-escape/],
    ['not a URI', 'otpauth:/totp', /not an otpauth/],
  ];
  it.each(mustReject)('rejects %s, naming the line', (_why, line, problem) => {
    const { items } = entriesOf(parseImport(`otpauth://totp/ok?secret=${SECRET_A}\n${line}`));
    expect(items[0]?.ok).toBe(true);
    expect(items[1]?.ok).toBe(false);
    expect(items[1]?.label).toMatch(/^line 2/);
    expect(problems(items)[0]?.[1]).toMatch(problem);
  });
});

describe('Google Authenticator transfer URIs', () => {
  it('reads several URIs and batches, with algorithms, 8 digits and HOTP counters', () => {
    const first = migrationUri(
      [
        { secret: base32Bytes(SECRET_A), name: 'GitHub:alice', issuer: 'GitHub' },
        { secret: base32Bytes(SECRET_B), name: 'bob', issuer: 'Bank', algorithm: 2, digits: 2 },
      ],
      { size: 2, index: 0, id: 42 },
    );
    const second = migrationUri(
      [{ secret: base32Bytes(SECRET_C), name: 'Counter', issuer: 'Counter', type: 1, counter: 5 }],
      { size: 2, index: 1, id: 42 },
    );
    const { format, items, warnings } = entriesOf(parseImport(`${first}\n${second}\n`));
    expect(format).toBe('google-migration');
    expect(warnings).toEqual([]);
    expect(okEntries(items)).toEqual([
      EXPECTED[0],
      makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8 }),
      EXPECTED[2],
    ]);
    expect(items.map((item) => item.label)).toEqual([
      'line 1 #1 "GitHub:alice"',
      'line 1 #2 "bob"',
      'line 2 #1 "Counter"',
    ]);
  });

  it('warns about a missing batch', () => {
    const only = migrationUri([{ secret: base32Bytes(SECRET_A), name: 'a' }], { size: 3, index: 1, id: 9 });
    expect(entriesOf(parseImport(only)).warnings).toEqual([
      'Google Authenticator QR code 1, 3 of 3 is missing: its accounts are not in this file',
    ]);
  });

  it('rejects MD5, unknown enum values and empty secrets per entry, and damaged data per line', () => {
    const uri = migrationUri([
      { secret: base32Bytes(SECRET_A), name: 'md5', algorithm: 4 },
      { secret: base32Bytes(SECRET_A), name: 'digits', digits: 7 },
      { secret: base32Bytes(SECRET_A), name: 'type', type: 9 },
      { secret: new Uint8Array(), name: 'empty' },
    ]);
    const { items } = entriesOf(parseImport(`${uri}\notpauth-migration://offline?data=CgA%3D%3D%3DZZ`));
    expect(problems(items)).toEqual([
      ['line 1 #1 "md5"', 'MD5 codes are not supported (open2fa supports SHA1, SHA256 and SHA512)'],
      ['line 1 #2 "digits"', 'unknown digit count number 7'],
      ['line 1 #3 "type"', 'unknown OTP type number 9'],
      ['line 1 #4 "empty"', 'no secret'],
      ['line 2', 'the otpauth-migration:// data is damaged'],
    ]);
  });
});

describe('Aegis plain JSON', () => {
  const vault = aegisVault([
    aegisEntry('totp', 'GitHub', 'alice', { secret: SECRET_A, algo: 'SHA1', digits: 6, period: 30 }),
    aegisEntry('totp', 'Bank', 'bob', { secret: SECRET_B, algo: 'SHA256', digits: 8, period: 60 }),
    aegisEntry('hotp', 'Counter', '', { secret: SECRET_C, algo: 'SHA1', digits: 6, counter: 5 }),
    aegisEntry('steam', 'Steam', 'gamer', { secret: SECRET_A, algo: 'SHA1', digits: 5, period: 30 }, 'main account'),
  ]);

  it('reads totp, hotp and steam entries with their notes', () => {
    const { format, items } = entriesOf(parseImport(vault));
    expect(format).toBe('aegis');
    expect(okEntries(items)).toEqual([
      ...EXPECTED,
      makeEntry(SECRET_A, 'Steam:gamer', { type: 'steam', issuer: 'Steam', account: 'gamer', note: 'main account' }),
    ]);
  });

  it('refuses an encrypted vault with what to do', () => {
    const encrypted = JSON.stringify({ version: 1, header: { slots: [{ type: 1 }], params: {} }, db: 'AAAA' });
    const detected = parseImport(encrypted);
    expect(detected).toEqual({
      kind: 'unsupported',
      message: like(/^an encrypted Aegis export is not supported: export it again without a password/),
    });
  });

  const mustReject: [string, Record<string, unknown>, RegExp][] = [
    ['bad base32', aegisEntry('totp', 'x', 'y', { secret: '1111', algo: 'SHA1', digits: 6, period: 30 }), /not base32/],
    [
      'unknown algorithm',
      aegisEntry('totp', 'x', 'y', { secret: SECRET_A, algo: 'MD5', digits: 6, period: 30 }),
      /unknown algorithm/,
    ],
    [
      'digits out of range',
      aegisEntry('totp', 'x', 'y', { secret: SECRET_A, algo: 'SHA1', digits: 4, period: 30 }),
      /digits/,
    ],
    ['missing secret', aegisEntry('totp', 'x', 'y', { algo: 'SHA1', digits: 6, period: 30 }), /no secret/],
    ['mOTP', aegisEntry('motp', 'x', 'y', { secret: SECRET_A, pin: '1234' }), /unsupported type "motp"/],
    ['no info', { type: 'totp', name: 'x' }, /not an Aegis entry/],
  ];
  it.each(mustReject)('rejects %s', (_why, entry, problem) => {
    const { items } = entriesOf(parseImport(aegisVault([entry])));
    expect(problems(items)[0]?.[1]).toMatch(problem);
  });
});

describe('2FAS unencrypted backup', () => {
  it('reads TOTP, HOTP and STEAM services', () => {
    const backup = twoFasBackup([
      twoFasService('GitHub', SECRET_A, {
        account: 'alice',
        issuer: 'GitHub',
        digits: 6,
        period: 30,
        algorithm: 'SHA1',
        tokenType: 'TOTP',
      }),
      twoFasService('Bank', SECRET_B, {
        account: 'bob',
        digits: 8,
        period: 60,
        algorithm: 'SHA256',
        tokenType: 'TOTP',
      }),
      twoFasService('Counter', SECRET_C, { digits: 6, counter: 5, algorithm: 'SHA1', tokenType: 'HOTP' }),
    ]);
    const { format, items } = entriesOf(parseImport(backup));
    expect(format).toBe('2fas');
    expect(okEntries(items)).toEqual(EXPECTED);
  });

  it('refuses an encrypted backup', () => {
    const encrypted = JSON.stringify({ services: [], servicesEncrypted: 'abc:def:ghi', schemaVersion: 4 });
    expect(parseImport(encrypted)).toMatchObject({
      kind: 'unsupported',
      message: like(/encrypted 2FAS/),
    });
  });

  it.each([
    ['bad base32', twoFasService('x', 'not base32!', { tokenType: 'TOTP' }), /not base32/],
    ['unknown algorithm', twoFasService('x', SECRET_A, { algorithm: 'MD5', tokenType: 'TOTP' }), /unknown algorithm/],
    ['digits out of range', twoFasService('x', SECRET_A, { digits: 12, tokenType: 'TOTP' }), /digits/],
    ['missing secret', { name: 'x', otp: { tokenType: 'TOTP' } }, /no secret/],
  ])('rejects %s', (_why, service, problem) => {
    expect(problems(entriesOf(parseImport(twoFasBackup([service]))).items)[0]?.[1]).toMatch(problem);
  });
});

describe('andOTP plain JSON', () => {
  it('reads TOTP, HOTP and STEAM entries', () => {
    const backup = andOtpBackup([
      andOtpEntry({
        secret: SECRET_A,
        issuer: 'GitHub',
        label: 'alice',
        digits: 6,
        type: 'TOTP',
        algorithm: 'SHA1',
        period: 30,
      }),
      andOtpEntry({
        secret: SECRET_B,
        issuer: 'Bank',
        label: 'bob',
        digits: 8,
        type: 'TOTP',
        algorithm: 'SHA256',
        period: 60,
      }),
      andOtpEntry({
        secret: SECRET_C,
        issuer: 'Counter',
        label: '',
        digits: 6,
        type: 'HOTP',
        algorithm: 'SHA1',
        counter: 5,
      }),
      andOtpEntry({
        secret: SECRET_A,
        issuer: 'Steam',
        label: 'gamer',
        digits: 5,
        type: 'STEAM',
        algorithm: 'SHA1',
        period: 30,
      }),
    ]);
    const { format, items } = entriesOf(parseImport(backup));
    expect(format).toBe('andotp');
    expect(okEntries(items)).toEqual([
      ...EXPECTED,
      makeEntry(SECRET_A, 'Steam:gamer', { type: 'steam', issuer: 'Steam', account: 'gamer' }),
    ]);
  });

  it('refuses encrypted andOTP backups by content or name', () => {
    expect(parseImport('-----BEGIN PGP MESSAGE-----\nabc')).toMatchObject({
      kind: 'unsupported',
      message: like(/encrypted andOTP/),
    });
    expect(parseImport('x', 'otp_accounts_2024.json.aes')).toMatchObject({ kind: 'unsupported' });
  });

  it.each([
    ['bad base32', andOtpEntry({ secret: '0000', type: 'TOTP' }), /not base32/],
    ['unknown algorithm', andOtpEntry({ secret: SECRET_A, type: 'TOTP', algorithm: 'SHA3' }), /unknown algorithm/],
    ['digits out of range', andOtpEntry({ secret: SECRET_A, type: 'TOTP', digits: 5 }), /digits/],
    ['missing secret', andOtpEntry({ secret: '', type: 'TOTP' }), /no secret/],
  ])('rejects %s', (_why, entry, problem) => {
    expect(problems(entriesOf(parseImport(andOtpBackup([entry]))).items)[0]?.[1]).toMatch(problem);
  });
});

describe('Bitwarden JSON export', () => {
  it('reads login.totp as a URI, a bare secret or steam://, and ignores items without one', () => {
    const backup = bitwardenExport([
      { name: 'GitHub', username: 'alice', totp: SECRET_A },
      {
        name: 'Bank',
        username: 'x',
        totp: `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA256&digits=8&period=60`,
      },
      { name: 'Forum', username: 'carol' },
      { name: 'Steam', username: 'gamer', totp: `steam://${SECRET_A}` },
      { name: 'Labelless', username: 'dave', totp: `otpauth://totp/?secret=${SECRET_C}` },
    ]);
    const { format, items } = entriesOf(parseImport(backup));
    expect(format).toBe('bitwarden');
    expect(okEntries(items)).toEqual([
      EXPECTED[0],
      EXPECTED[1],
      makeEntry(SECRET_A, 'Steam:gamer', { type: 'steam', issuer: 'Steam', account: 'gamer' }),
      makeEntry(SECRET_C, 'Labelless:dave', { issuer: 'Labelless', account: 'dave' }),
    ]);
  });

  it('refuses an encrypted export', () => {
    expect(parseImport(JSON.stringify({ encrypted: true, passwordProtected: true, items: [] }))).toMatchObject({
      kind: 'unsupported',
      message: like(/encrypted Bitwarden/),
    });
  });

  it.each([
    ['bad base32', 'hello world!', /not base32/],
    ['unknown algorithm', `otpauth://totp/x?secret=${SECRET_A}&algorithm=SHA3`, /unknown algorithm/],
    ['digits out of range', `otpauth://totp/x?secret=${SECRET_A}&digits=9`, /digits/],
    ['missing secret', 'otpauth://totp/x?digits=6', /no secret/],
  ])('rejects %s', (_why, totp, problem) => {
    const { items } = entriesOf(parseImport(bitwardenExport([{ name: 'x', totp }])));
    expect(items[0]?.label).toBe('item 1 "x"');
    expect(problems(items)[0]?.[1]).toMatch(problem);
  });
});

describe('format detection', () => {
  it.each([
    ['not JSON', '{"services": [', /not valid JSON/],
    ['an unknown JSON object', '{"hello": 1}', /unknown JSON format/],
    ['plain prose', 'dear diary\ntoday I', /unknown format/],
    ['a newer open2fa export', '{"format": "open2fa-export", "version": 99, "entries": []}', /newer version/],
  ])('refuses %s', (_why, text, message) => {
    expect(parseImport(text)).toEqual({ kind: 'unsupported', message: like(message) });
  });

  it('hands an encrypted open2fa backup back for decryption', () => {
    expect(parseImport('{"format": "open2fa-backup", "version": 1}')).toMatchObject({ kind: 'backup' });
  });

  it('reads a UTF-8 BOM and surrounding blank lines', () => {
    expect(entriesOf(parseImport(`\uFEFF\n\notpauth://totp/x?secret=${SECRET_A}\n\n`)).items).toHaveLength(1);
  });
});
