import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  pbkdf2Sync,
  randomBytes,
  scryptSync,
} from 'node:crypto';

// Fixture ciphers written with node:crypto, independently of src/core/formats/format-crypto.ts
// (WebCrypto and @noble): a fixture made by the code under test would hide a shared mistake.

export function gcmSeal(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array): { cipher: Buffer; tag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { cipher: body, tag: cipher.getAuthTag() };
}

export function gcmOpen(key: Uint8Array, nonce: Uint8Array, cipher: Uint8Array, tag: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(cipher), decipher.final()]);
}

export function cbcSeal(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

export function scrypt(password: string, salt: Uint8Array, n: number, r: number, p: number): Buffer {
  return scryptSync(Buffer.from(password, 'utf8'), salt, 32, { N: n, r, p, maxmem: 256 * 1024 * 1024 });
}

export function pbkdf2(hash: 'sha1' | 'sha256', password: string, salt: Uint8Array, iterations: number): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, hash);
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

export function hmac(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export { randomBytes };
