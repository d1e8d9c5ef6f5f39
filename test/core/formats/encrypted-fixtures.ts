import { gcmSeal, pbkdf2, randomBytes, scrypt } from './test-ciphers.js';

// Encrypted exports built from their apps' public layouts with node:crypto, shared by the format
// tests and the CLI's import tests (test/cli/commands/import-formats.test.ts).

// Aegis's docs/vault.md: content `{ version, entries, groups }` base64 in `db`, sealed with AES-256-GCM
// under a master key that each password slot (scrypt N, r=8, p=1, salt) wraps with AES-256-GCM.
export /** An encrypted vault as Aegis writes it, built with node:crypto. */
function encryptedVault(content: unknown, passwords: readonly string[], n = 2 ** 14): string {
  const masterKey = randomBytes(32);
  const slots = passwords.map((password, index) => {
    const salt = randomBytes(32);
    const nonce = randomBytes(12);
    const wrapped = gcmSeal(scrypt(password, salt, n, 8, 1), nonce, masterKey);
    return {
      type: 1,
      uuid: `0000000${String(index)}-0000-4000-8000-000000000000`,
      key: wrapped.cipher.toString('hex'),
      key_params: { nonce: nonce.toString('hex'), tag: wrapped.tag.toString('hex') },
      n,
      r: 8,
      p: 1,
      salt: salt.toString('hex'),
      repaired: true,
    };
  });
  const biometric = {
    type: 2,
    uuid: 'b',
    key: '00'.repeat(32),
    key_params: { nonce: '00'.repeat(12), tag: '00'.repeat(16) },
  };
  const nonce = randomBytes(12);
  const sealed = gcmSeal(masterKey, nonce, Buffer.from(JSON.stringify(content)));
  return JSON.stringify({
    version: 1,
    header: { slots: [biometric, ...slots], params: { nonce: nonce.toString('hex'), tag: sealed.tag.toString('hex') } },
    db: sealed.cipher.toString('base64'),
  });
}

/**
 * A 2FAS backup with a password: `servicesEncrypted: "data:salt:iv"` (base64), AES-256-GCM (the tag
 * after the data) under PBKDF2-HMAC-SHA256, 10 000 rounds, 256-byte salt.
 */
export function encryptedTwoFas(
  services: unknown,
  password: string,
  { groups = [], schemaVersion = 4 }: { groups?: readonly object[]; schemaVersion?: number } = {},
): string {
  const salt = randomBytes(256);
  const iv = randomBytes(12);
  const { cipher, tag } = gcmSeal(pbkdf2('sha256', password, salt, 10_000), iv, Buffer.from(JSON.stringify(services)));
  const data = Buffer.concat([cipher, tag]).toString('base64');
  return JSON.stringify({
    services: [],
    servicesEncrypted: `${data}:${salt.toString('base64')}:${iv.toString('base64')}`,
    groups,
    updatedAt: 1700000000000,
    schemaVersion,
    appOrigin: 'android',
  });
}
