import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { decryptBackup, encryptBackup, MIN_BACKUP_ITERATIONS } from '../../../src/core/formats/encrypted-backup.js';

/** `expect.stringMatching`, typed as the string it stands for (the matcher itself is `any`). */
function like(pattern: RegExp): string {
  return expect.stringMatching(pattern) as string;
}

const ENTRIES = [
  makeEntry('JBSWY3DPEHPK3PXP', 'GitHub'),
  makeEntry('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'Bank:bob', {
    issuer: 'Bank',
    account: 'bob',
    digits: 8,
    algorithm: 'SHA512',
  }),
  makeEntry('HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ', 'Counter', { type: 'hotp', counter: 12, note: 'key fob' }),
];

function parse(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

describe('the encrypted backup (PBKDF2-SHA256 + AES-256-GCM)', () => {
  it('writes the documented container and reads it back with the passphrase', async () => {
    const text = await encryptBackup(ENTRIES, 'correct horse battery staple');
    const container = parse(text);
    expect(container).toEqual({
      format: 'open2fa-backup',
      version: 1,
      kdf: { name: 'PBKDF2-SHA256', iterations: 600_000, salt: like(/^[A-Za-z0-9+/]{22}==$/) },
      cipher: { name: 'AES-256-GCM', nonce: like(/^[A-Za-z0-9+/]{16}$/) },
      ciphertext: like(/[^]*/),
    });
    expect(text).not.toContain('JBSWY3DPEHPK3PXP');
    expect(text).not.toContain('GitHub');
    const result = await decryptBackup(container, 'correct horse battery staple');
    expect(result).toEqual({
      ok: true,
      items: ENTRIES.map((entry, index) => ({
        ok: true,
        label: `entry ${String(index + 1)} "${String(entry.name)}"`,
        entry,
      })),
    });
  });

  it('uses a fresh salt and nonce every time', async () => {
    const [a, b] = await Promise.all([encryptBackup(ENTRIES, 'passphrase'), encryptBackup(ENTRIES, 'passphrase')]);
    expect(parse(a).kdf).not.toEqual(parse(b).kdf);
    expect(parse(a).cipher).not.toEqual(parse(b).cipher);
  });

  it('refuses a wrong passphrase and any changed parameter', async () => {
    const container = parse(await encryptBackup(ENTRIES, 'right passphrase'));
    const wrong = { ok: false, reason: 'wrong_passphrase', message: like(/^wrong passphrase/) };
    expect(await decryptBackup(container, 'wrong passphrase')).toEqual(wrong);
    const kdf = container.kdf as Record<string, unknown>;
    // The iteration count is bound as associated data: raising it (still in range) is detected too.
    expect(await decryptBackup({ ...container, kdf: { ...kdf, iterations: 600_001 } }, 'right passphrase')).toEqual(
      wrong,
    );
  });

  it.each([
    ['a newer version', { version: 2 }, 'unsupported'],
    [
      'too few iterations',
      { kdf: { name: 'PBKDF2-SHA256', iterations: 1000, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' } },
      'damaged',
    ],
    ['another cipher', { cipher: { name: 'ChaCha20', nonce: 'AAAAAAAAAAAAAAAA' } }, 'unsupported'],
    ['a short nonce', { cipher: { name: 'AES-256-GCM', nonce: 'AAAA' } }, 'damaged'],
    ['no ciphertext', { ciphertext: 5 }, 'damaged'],
  ])('rejects %s before deriving a key', async (_why, change, reason) => {
    const container = parse(await encryptBackup([], 'passphrase'));
    expect(await decryptBackup({ ...container, ...change }, 'passphrase')).toMatchObject({ ok: false, reason });
  });

  it('refuses misuse', async () => {
    await expect(encryptBackup(ENTRIES, '')).rejects.toThrow(TypeError);
    await expect(encryptBackup(ENTRIES, 'x', { iterations: MIN_BACKUP_ITERATIONS - 1 })).rejects.toThrow(RangeError);
  });
});
