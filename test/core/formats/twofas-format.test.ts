import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { twoFasFormat } from '../../../src/core/formats/twofas-format.js';
import { SECRET_A, SECRET_B } from './format-fixtures.js';
import { importFile, itemsOf, like, okEntries, problems } from './format-test-helpers.js';
import { service, SERVICES, EXPECTED, backup, encrypted } from './cases/twofas-case.js';

// 2FAS backups (`.2fas`): `{ services, groups, schemaVersion }`; with a password the services are
// `servicesEncrypted: "data:salt:iv"` (base64), AES-256-GCM under PBKDF2-HMAC-SHA256, 10 000 rounds.

describe('2FAS plain backups', () => {
  it('reads every parameter and the group of every service (schema 4)', async () => {
    expect(okEntries(itemsOf(await importFile(twoFasFormat, backup(4, { services: SERVICES })), '2fas'))).toEqual(
      EXPECTED,
    );
  });

  it.each([1, 2, 3])('reads schema %i, whose TOTP services have no tokenType', async (schema) => {
    const old = service('Old', SECRET_B, { account: 'x', digits: 6, period: 30, algorithm: 'SHA1' });
    const items = itemsOf(await importFile(twoFasFormat, backup(schema, { services: [old] })), '2fas');
    expect(okEntries(items)).toEqual([makeEntry(SECRET_B, 'Old:x', { issuer: 'Old', account: 'x' })]);
  });

  it('refuses a newer schema with what to do', async () => {
    expect(await importFile(twoFasFormat, backup(5, { services: [] }))).toEqual({
      kind: 'unsupported',
      format: '2fas',
      message: like(/schema 5 is newer.*update open2fa/),
    });
  });

  it('names a bad service by position and name', async () => {
    const bad = service('Shop', SECRET_A, { account: 'eve', tokenType: 'YANDEX' });
    expect(problems(itemsOf(await importFile(twoFasFormat, backup(4, { services: [bad] })), '2fas'))).toEqual([
      ['service 1 "Shop:eve"', 'unsupported type "YANDEX" (open2fa supports totp, hotp and steam)'],
    ]);
  });
});

describe('2FAS password-protected backups', () => {
  const file = encrypted(SERVICES, 'correct horse');

  it('asks for the password, then reads every service', async () => {
    expect(await importFile(twoFasFormat, file)).toEqual({ kind: 'password-needed', format: '2fas' });
    expect(okEntries(itemsOf(await importFile(twoFasFormat, file, { password: 'correct horse' }), '2fas'))).toEqual(
      EXPECTED,
    );
  });

  it('says wrong-password for another password', async () => {
    expect(await importFile(twoFasFormat, file, { password: 'battery staple' })).toEqual({
      kind: 'wrong-password',
      format: '2fas',
    });
  });

  it.each([
    ['two parts', 'abc:def'],
    ['a part that is not base64', 'abc:d%f:ghi'],
  ])('refuses servicesEncrypted with %s as damaged', async (_why, servicesEncrypted) => {
    expect(await importFile(twoFasFormat, backup(4, { services: [], servicesEncrypted }), { password: 'x' })).toEqual({
      kind: 'unsupported',
      format: '2fas',
      message: like(/damaged/),
    });
  });

  it('refuses decrypted content that is not a list of services', async () => {
    expect(await importFile(twoFasFormat, encrypted({ not: 'a list' }, 'pw'), { password: 'pw' })).toMatchObject({
      kind: 'unsupported',
      message: like(/not a JSON list/),
    });
  });
});
