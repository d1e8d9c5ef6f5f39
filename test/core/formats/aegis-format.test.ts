import { describe, expect, it } from 'vitest';
import { aegisFormat } from '../../../src/core/formats/aegis-format.js';
import { encryptAegisVault } from '../../../src/core/formats/aegis-vault-crypto.js';
import { aegisEntry, SECRET_A } from './format-fixtures.js';
import { importFile, itemsOf, like, okEntries, problems } from './format-test-helpers.js';
import { encryptedVault } from './encrypted-fixtures.js';
import { gcmOpen, scrypt } from './test-ciphers.js';
import { CONTENT, EXPECTED } from './cases/aegis-case.js';

// Layouts from Aegis's docs/vault.md: content `{ version, entries, groups }`; an encrypted vault
// keeps it base64 in `db`, with password slots (scrypt N, r, p, salt) wrapping the master key.

interface Slot {
  type: number;
  key: string;
  key_params: { nonce: string; tag: string };
  n: number;
  r: number;
  p: number;
  salt: string;
}
interface EncryptedFile {
  header: { slots: Slot[]; params: { nonce: string; tag: string } | null };
  db: string;
}
interface Content {
  entries: { groups: string[] }[];
  groups: { uuid: string }[];
}

describe('Aegis plain vault', () => {
  it('reads every parameter, note, favourite and group of every entry', async () => {
    const vault = JSON.stringify({ version: 1, header: { slots: null, params: null }, db: CONTENT });
    expect(okEntries(itemsOf(await importFile(aegisFormat, vault), 'aegis'))).toEqual(EXPECTED);
  });

  it('reads the single group name of vaults before version 3', async () => {
    const entry = { ...aegisEntry('totp', 'a', 'b', { secret: SECRET_A }), group: 'Old' };
    const vault = JSON.stringify({
      version: 1,
      header: { slots: null, params: null },
      db: { version: 1, entries: [entry] },
    });
    expect(okEntries(itemsOf(await importFile(aegisFormat, vault), 'aegis'))[0]?.groups).toEqual(['Old']);
  });

  it('names a bad entry by position and name', async () => {
    const bad = aegisEntry('totp', 'Shop', 'carol', { secret: 'not base32!', algo: 'SHA1', digits: 6, period: 30 });
    const vault = JSON.stringify({
      version: 1,
      header: { slots: null, params: null },
      db: { entries: [bad, { x: 1 }] },
    });
    expect(problems(itemsOf(await importFile(aegisFormat, vault), 'aegis'))).toEqual([
      ['entry 1 "Shop:carol"', 'the secret is not base32'],
      ['entry 2', 'not an Aegis entry'],
    ]);
  });
});

describe('Aegis encrypted vault', () => {
  const vault = encryptedVault(CONTENT, ['first password', 'pässwörd ✓']);

  it('asks for the password, then opens any password slot', async () => {
    expect(await importFile(aegisFormat, vault)).toEqual({ kind: 'password-needed', format: 'aegis' });
    expect(okEntries(itemsOf(await importFile(aegisFormat, vault, { password: 'first password' }), 'aegis'))).toEqual(
      EXPECTED,
    );
    expect(okEntries(itemsOf(await importFile(aegisFormat, vault, { password: 'pässwörd ✓' }), 'aegis'))).toEqual(
      EXPECTED,
    );
  });

  it('says wrong-password for a password no slot takes', async () => {
    expect(await importFile(aegisFormat, vault, { password: 'guess' })).toEqual({
      kind: 'wrong-password',
      format: 'aegis',
    });
  });

  const damaged: [string, (file: EncryptedFile) => void, RegExp][] = [
    [
      'a changed content',
      (file) => (file.db = Buffer.from('x'.repeat(40)).toString('base64')),
      /does not match its tag/,
    ],
    [
      'a cut tag',
      (file) => (file.header.params = { nonce: file.header.params?.nonce ?? '', tag: 'abcd' }),
      /nonce or tag/,
    ],
    ['no password slot', (file) => (file.header.slots = file.header.slots.slice(0, 1)), /no password slot/],
    ['an absurd scrypt cost', (file) => (file.header.slots[1] = { ...slotOf(file), n: 2 ** 30 }), /more than 1 GiB/],
    [
      'a scrypt N that is no power of two',
      (file) => (file.header.slots[1] = { ...slotOf(file), n: 1000 }),
      /not valid/,
    ],
    ['no params', (file) => (file.header.params = null), /no slots or params/],
  ];
  it.each(damaged)('refuses %s as damaged, without throwing', async (_why, change, message) => {
    const file = JSON.parse(vault) as EncryptedFile;
    change(file);
    expect(await importFile(aegisFormat, JSON.stringify(file), { password: 'first password' })).toEqual({
      kind: 'unsupported',
      format: 'aegis',
      message: like(message),
    });
  });
});

describe('encrypted Aegis export', () => {
  it('round-trips every field through the Aegis importer', async () => {
    const file = await encryptAegisVault(EXPECTED, 'leave with everything');
    expect(
      okEntries(itemsOf(await importFile(aegisFormat, file, { password: 'leave with everything' }), 'aegis')),
    ).toEqual(EXPECTED);
    expect(await importFile(aegisFormat, file, { password: 'leave with nothing' })).toMatchObject({
      kind: 'wrong-password',
    });
  });

  it('writes the documented layout, with Aegis scrypt parameters, that node:crypto opens', async () => {
    const file = JSON.parse(await encryptAegisVault(EXPECTED.slice(0, 1), 'pw')) as EncryptedFile;
    const slot = slotOf(file, 0);
    expect(slot).toMatchObject({ type: 1, n: 32768, r: 8, p: 1 });
    const derived = scrypt('pw', Buffer.from(slot.salt, 'hex'), slot.n, slot.r, slot.p);
    const masterKey = gcmOpen(
      derived,
      Buffer.from(slot.key_params.nonce, 'hex'),
      Buffer.from(slot.key, 'hex'),
      Buffer.from(slot.key_params.tag, 'hex'),
    );
    const { nonce, tag } = file.header.params ?? { nonce: '', tag: '' };
    const content = JSON.parse(
      gcmOpen(masterKey, Buffer.from(nonce, 'hex'), Buffer.from(file.db, 'base64'), Buffer.from(tag, 'hex')).toString(),
    ) as Content;
    expect(content).toMatchObject({
      version: 3,
      entries: [
        {
          type: 'totp',
          name: 'alice',
          issuer: 'GitHub',
          note: 'recovery in safe',
          favorite: true,
          info: { secret: SECRET_A, algo: 'SHA1', digits: 6, period: 30 },
        },
      ],
      groups: [{ name: 'Work' }],
    });
    expect(content.entries[0]?.groups).toEqual([content.groups[0]?.uuid]);
  });

  it('refuses an empty password', async () => {
    await expect(encryptAegisVault(EXPECTED, '')).rejects.toThrow(TypeError);
  });
});

function slotOf(file: EncryptedFile, index = 1): Slot {
  const slot = file.header.slots[index];
  if (slot === undefined) throw new Error('no such slot');
  return slot;
}
