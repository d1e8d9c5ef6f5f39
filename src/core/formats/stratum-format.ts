import { buildEntry } from './entry-builder.js';
import { aesCbcOpen, aesGcmOpen, decodeJson, pbkdf2, utf8 } from './format-crypto.js';
import type { ImportFormatSpec, ImportSource } from './format-spec.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { damagedOutcome, entriesOutcome } from './format-items.js';

const HEADER = 'AUTHENTICATORPRO';
const LEGACY_HEADER = 'AuthenticatorPro';
const TYPES: Record<number, string> = { 1: 'hotp', 2: 'totp', 3: 'motp', 4: 'steam', 5: 'yandex' };
const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'];

function isStratumJson(document: unknown): document is Record<string, unknown> {
  return isRecord(document) && Array.isArray(document.Authenticators);
}

function headerOf(source: ImportSource): string {
  return String.fromCharCode(...source.bytes.subarray(0, HEADER.length));
}

/**
 * Stratum's (formerly Authenticator Pro) backups: plain JSON `{ Authenticators, Categories,
 * AuthenticatorCategories }`; encrypted, `AUTHENTICATORPRO ‖ salt (16) ‖ iv (12) ‖ AES-256-GCM`
 * with an Argon2id key (3 passes, 64 MiB, 4 lanes); legacy encrypted, `AuthenticatorPro ‖ salt (20)
 * ‖ iv (16) ‖ AES-256-CBC` with a PBKDF2-HMAC-SHA1 key (64 000 rounds). Categories become groups.
 */
export const stratumFormat: ImportFormatSpec = {
  name: 'stratum',
  label: 'Stratum / Authenticator Pro (JSON, encrypted or legacy encrypted backup)',
  encryption: 'optional',
  detect: (source) => isStratumJson(jsonOf(source)) || [HEADER, LEGACY_HEADER].includes(headerOf(source)),
  async parse(source, options) {
    const plainDocument = jsonOf(source);
    if (isStratumJson(plainDocument)) return entriesOutcome('stratum', stratumEntries(plainDocument));
    const header = headerOf(source);
    if (header !== HEADER && header !== LEGACY_HEADER) return damagedOutcome('stratum', 'not a Stratum backup');
    if (options.password === undefined) return { kind: 'password-needed', format: 'stratum' };
    const body = source.bytes.subarray(HEADER.length);
    const plain =
      header === HEADER ? await openCurrent(body, options.password) : await openLegacy(body, options.password);
    if (plain === null) return { kind: 'wrong-password', format: 'stratum' };
    const document = decodeJson(plain);
    return isStratumJson(document)
      ? entriesOutcome('stratum', stratumEntries(document))
      : damagedOutcome('stratum', 'the decrypted backup is not Stratum JSON');
  },
};

async function openCurrent(body: Uint8Array, password: string): Promise<Uint8Array | null> {
  if (body.length < 16 + 12 + 16) return null;
  const { argon2idAsync } = await import('@noble/hashes/argon2.js');
  const key = await argon2idAsync(utf8(password), body.subarray(0, 16), { t: 3, m: 65536, p: 4, dkLen: 32 });
  return aesGcmOpen(key, body.subarray(16, 28), body.subarray(28));
}

async function openLegacy(body: Uint8Array, password: string): Promise<Uint8Array | null> {
  if (body.length < 20 + 16 + 16) return null;
  const key = await pbkdf2('SHA-1', password, body.subarray(0, 20), 64_000, 32);
  return aesCbcOpen(key, body.subarray(20, 36), body.subarray(36));
}

function stratumEntries(document: Record<string, unknown>): ImportItem[] {
  const categories = new Map<unknown, unknown>(
    (Array.isArray(document.Categories) ? document.Categories : [])
      .filter(isRecord)
      .map((category) => [category.Id, category.Name]),
  );
  const links = (Array.isArray(document.AuthenticatorCategories) ? document.AuthenticatorCategories : []).filter(
    isRecord,
  );
  const authenticators = Array.isArray(document.Authenticators) ? document.Authenticators : [];
  return authenticators.map((item: unknown, index): ImportItem => {
    const position = `authenticator ${String(index + 1)}`;
    if (!isRecord(item)) return { ok: false, label: position, problem: 'not a Stratum authenticator' };
    const label = itemLabel(
      position,
      [item.Issuer, item.Username].filter((part) => typeof part === 'string' && part !== '').join(':'),
    );
    const type = typeof item.Type === 'number' ? (TYPES[item.Type] ?? String(item.Type)) : item.Type;
    const algorithm =
      typeof item.Algorithm === 'number' ? (ALGORITHMS[item.Algorithm] ?? String(item.Algorithm)) : item.Algorithm;
    const groups = links
      .filter((link) => link.AuthenticatorSecret === item.Secret)
      .map((link) => categories.get(link.CategoryId))
      .filter((name) => typeof name === 'string');
    const built = buildEntry({
      secret: item.Secret,
      issuer: item.Issuer,
      account: item.Username,
      type,
      algorithm,
      digits: item.Digits,
      period: type === 'hotp' ? undefined : item.Period,
      counter: type === 'hotp' ? item.Counter : undefined,
      groups: groups.length === 0 ? undefined : groups,
    });
    return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
  });
}
