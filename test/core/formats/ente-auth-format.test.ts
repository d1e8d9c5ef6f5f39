import { describe, expect, it } from 'vitest';
import { enteAuthFormat } from '../../../src/core/formats/ente-auth-format.js';
import { otpauthFormat } from '../../../src/core/formats/otpauth-lines-format.js';
import { formatByName } from '../../../src/core/formats/format-registry.js';
import { textSource } from '../../../src/core/formats/import-source.js';
import { importFile, itemsOf, like, okEntries } from './format-test-helpers.js';
import { hchacha20, PLAIN, EXPECTED, encryptedExport } from './cases/ente-auth-case.js';

// Ente Auth's export (ente-io/ente docs/docs/auth/migration/export.md): plain `otpauth://` lines;
// encrypted `{ version 1, kdfParams { memLimit, opsLimit, salt }, encryptedData, encryptionNonce }`
// with an Argon2id key (libsodium crypto_pwhash) and a secretstream XChaCha20-Poly1305 message.
// The sealer below follows libsodium's documented construction with node's ChaCha20-Poly1305 and
// a hand-written HChaCha20, independently of src/core/formats/secretstream.ts.

describe('the test sealer', () => {
  it('computes the HChaCha20 vector of draft-irtf-cfrg-xchacha §2.2.1', () => {
    const key = Buffer.from([...Array(32).keys()]);
    const input = Buffer.from('000000090000004a0000000031415927', 'hex');
    expect(hchacha20(key, input).toString('hex')).toBe(
      '82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc',
    );
  });
});

describe('Ente Auth plain export', () => {
  it('is read as otpauth lines, with notes, tags and pins from codeDisplay', async () => {
    expect(okEntries(itemsOf(await importFile(otpauthFormat, PLAIN), 'otpauth'))).toEqual(EXPECTED);
  });

  it('is read by --format ente-auth too', async () => {
    const outcome = await formatByName('ente-auth')?.parse(textSource(PLAIN), {});
    expect(okEntries(itemsOf(outcome ?? { kind: 'unknown-format', message: '' }, 'ente-auth'))).toEqual(EXPECTED);
  });
});

describe('Ente Auth encrypted export', () => {
  const file = encryptedExport(PLAIN, 'ente pw');

  it('asks for the password, then reads every entry', async () => {
    expect(await importFile(enteAuthFormat, file)).toEqual({ kind: 'password-needed', format: 'ente-auth' });
    expect(okEntries(itemsOf(await importFile(enteAuthFormat, file, { password: 'ente pw' }), 'ente-auth'))).toEqual(
      EXPECTED,
    );
  });

  it('says wrong-password for another password', async () => {
    expect(await importFile(enteAuthFormat, file, { password: 'ente PW' })).toEqual({
      kind: 'wrong-password',
      format: 'ente-auth',
    });
  });

  it('refuses a stream that does not end (tag MESSAGE, not FINAL)', async () => {
    expect(await importFile(enteAuthFormat, encryptedExport(PLAIN, 'pw', 0), { password: 'pw' })).toMatchObject({
      kind: 'unsupported',
      message: like(/cut short/),
    });
  });

  it.each([
    ['a newer version', { version: 2 }, /version 2 is unknown/],
    [
      'absurd memory',
      { kdfParams: { memLimit: 2 ** 40, opsLimit: 2, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' } },
      /out of range/,
    ],
    ['a short nonce', { encryptionNonce: 'AAAA' }, /not what Ente Auth writes/],
  ])('refuses %s before deriving a key', async (_why, change, message) => {
    const changed = JSON.stringify({ ...(JSON.parse(file) as object), ...change });
    expect(await importFile(enteAuthFormat, changed, { password: 'ente pw' })).toEqual({
      kind: 'unsupported',
      format: 'ente-auth',
      message: like(message),
    });
  });
});
