import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS_B } from '../../../src/core/formats/format-registry-b.js';
import type { ImportSource } from '../../../src/core/formats/format-spec.js';
import { counting, javaStringMap, sharedPrefsXml, sourceOf } from './android-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';
import { zipFile } from './zip-fixtures.js';

// One minimal file of each format: each is detected by its own format and by no other of this list.

async function samples(): Promise<[string, ImportSource][]> {
  return [
    ['freeotp', sourceOf(sharedPrefsXml([['tokenOrder', '[]']]))],
    ['freeotp', sourceOf(javaStringMap([['masterKey', '{}']]))],
    ['freeotp-plus', sourceOf(JSON.stringify({ tokenOrder: [], tokens: [] }))],
    ['authy', sourceOf(sharedPrefsXml([['com.authy.storage.tokens.authenticator.key', '[]']]))],
    ['battle-net', sourceOf(sharedPrefsXml([['com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET', '00']]))],
    [
      'google-authenticator-db',
      sourceOf(
        await sqliteFile([
          'CREATE TABLE accounts (_id INTEGER, email TEXT, secret TEXT, counter INTEGER, type INTEGER, issuer TEXT, original_name TEXT)',
        ]),
      ),
    ],
    [
      'microsoft-authenticator',
      sourceOf(
        await sqliteFile([
          'CREATE TABLE accounts (_id INTEGER, name TEXT, username TEXT, oath_secret_key TEXT, account_type INTEGER)',
        ]),
      ),
    ],
    [
      'stratum-db',
      sourceOf(
        await sqliteFile([
          'CREATE TABLE "authenticator" ("type" integer, "issuer" varchar, "username" varchar, "secret" varchar, "algorithm" integer, "digits" integer, "period" integer, "counter" integer)',
        ]),
      ),
    ],
    ['stratum-db', sourceOf(counting(4096, 1), 'authenticator.db3')],
    [
      'authenticator-plus',
      sourceOf(zipFile([{ name: 'Accounts.txt', content: 'x', password: 'p', encryption: 'aes-256' }])),
    ],
    ['authenticator-plus', sourceOf(counting(4096, 2), 'authplus.db')],
    ['totp-authenticator', sourceOf(sharedPrefsXml([['STATIC_TOTP_CODES_LIST', '[]']]))],
    ['totp-authenticator', sourceOf(Buffer.from(counting(64, 3)).toString('base64'))],
  ];
}

describe('formats B: the registry list', () => {
  it('has unique lower-case names and a label for each', () => {
    const names = FORMATS_B.map((format) => format.name);
    expect(new Set(names).size).toBe(names.length);
    for (const format of FORMATS_B) {
      expect(format.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(format.label.length).toBeGreaterThan(5);
    }
  });

  it('detects each sample by its own format only', async () => {
    for (const [name, source] of await samples()) {
      expect([name, FORMATS_B.filter((format) => format.detect(source)).map((format) => format.name)]).toEqual([
        name,
        [name],
      ]);
    }
  });

  it('detects nothing in empty, random, JSON, otpauth or unrelated XML files, and never throws', () => {
    const others = [
      sourceOf(new Uint8Array(0)),
      sourceOf(counting(5000, 77)),
      sourceOf('{"db": {"entries": []}, "header": {}}'),
      sourceOf('otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP'),
      sourceOf('<?xml version="1.0"?><svg></svg>'),
      sourceOf(sharedPrefsXml([['something.else', 'x']])),
      sourceOf(new Uint8Array([0xac, 0xed, 0x00])),
      sourceOf(new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Uint8Array(18)])),
    ];
    for (const source of others) {
      expect(FORMATS_B.filter((format) => format.detect(source)).map((format) => format.name)).toEqual([]);
    }
  });

  it('keeps the heavy decoders out of the start: sql.js, fflate and @noble/ciphers load only inside parse', () => {
    // Everything the registries load statically (value imports, followed file to file) must be free of
    // the heavy decoders; modules that only `parse` imports with `await import()` may use them.
    const root = join(import.meta.dirname, '../../../src/core/formats');
    const heavy =
      /^import (?!type)[^;]*from '(sql\.js|fflate|@noble\/ciphers[^']*|@noble\/hashes\/(argon2|scrypt)[^']*)';/m;
    const staticImport = /^import (?!type)[^;]*from '(\.{1,2}\/[^']+)\.js';/gm;
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      expect([file, heavy.test(text)]).toEqual([file, false]);
      for (const match of text.matchAll(staticImport)) visit(join(dirname(file), `${match[1] ?? ''}.ts`));
    };
    for (const registry of ['format-registry.ts', 'format-registry-b.ts']) {
      if (existsSync(join(root, registry))) visit(join(root, registry));
    }
    expect(seen.size).toBeGreaterThan(10);
  });
});
