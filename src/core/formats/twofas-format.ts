import { canonicalSecret } from '../entry/compare.js';
import { labelParts, type Entry } from '../entry/model.js';
import { typeFields } from './entry-builder.js';
import type { ImportFormatSpec } from './format-spec.js';
import { aesGcmOpen, decodeBase64, decodeJson, pbkdf2 } from './format-crypto.js';
import { isRecord, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { damagedOutcome, entriesOutcome, entryItem, refusedItem, unsupportedOutcome } from './format-items.js';

/** Whether a parsed JSON document is a 2FAS backup: `{ services: [...], schemaVersion }`. */
export function isTwoFasBackup(document: unknown): document is Record<string, unknown> {
  return isRecord(document) && (Array.isArray(document.services) || 'servicesEncrypted' in document);
}

/** A password-protected 2FAS backup keeps its services in `servicesEncrypted` and leaves `services` empty. */
export function isEncryptedTwoFas(document: Record<string, unknown>): boolean {
  return typeof document.servicesEncrypted === 'string' && document.servicesEncrypted !== '';
}

/**
 * The entries of an unencrypted 2FAS backup: `services[]` with `name` (the service), `secret`,
 * `groupId` (of `groups[] { id, name }`) and `otp { account, issuer, label, digits, period,
 * algorithm, counter, tokenType }`; `tokenType` is TOTP, HOTP or STEAM (absent before schema 4:
 * TOTP). Schemas 1 to 4 share these fields.
 */
export function parseTwoFas(document: Record<string, unknown>): ImportItem[] | null {
  if (!Array.isArray(document.services)) return null;
  return twoFasServices(document.services, document.groups);
}

/** The services of a backup, plain or decrypted, with the backup's groups. */
export function twoFasServices(services: readonly unknown[], groups: unknown): ImportItem[] {
  const groupNames = new Map<unknown, unknown>(
    (Array.isArray(groups) ? groups : []).filter(isRecord).map((group) => [group.id, group.name]),
  );
  return services.map((item: unknown, index): ImportItem => {
    const at = `service ${String(index + 1)}`;
    if (!isRecord(item)) return refusedItem(at, 'not a 2FAS service');
    const otp = isRecord(item.otp) ? item.otp : {};
    const account = nonEmpty(otp.account) ?? nonEmpty(otp.label);
    // The service name stands in for a missing issuer, unless it merely repeats the account.
    const service = nonEmpty(item.name);
    const issuer = nonEmpty(otp.issuer) ?? (service === account ? undefined : service);
    const group = item.groupId === undefined || item.groupId === null ? undefined : groupNames.get(item.groupId);
    return entryItem(at, {
      secret: item.secret,
      issuer,
      account,
      algorithm: otp.algorithm,
      digits: otp.digits,
      ...typeFields(otp.tokenType, otp.period, otp.counter),
      note: item.notes,
      groups: typeof group === 'string' ? [group] : undefined,
    });
  });
}

/**
 * An unencrypted 2FAS backup (schema 4) holding the entries. 2FAS has no note field: a note goes
 * into `notes`, which 2FAS ignores and open2fa reads back.
 */
export function serializeTwoFas(entries: readonly Entry[], now: number = Date.now()): string {
  const groupNames = [...new Set(entries.map((entry) => entry.groups?.[0]).filter((name) => name !== undefined))];
  const backup = {
    services: entries.map((entry, position) => {
      const { issuer, account } = labelParts(entry);
      return {
        name: issuer || account,
        secret: canonicalSecret(entry.secret),
        updatedAt: now,
        ...(entry.note === undefined ? {} : { notes: entry.note }),
        otp: {
          label: issuer !== '' && account !== issuer ? `${issuer}:${account}` : account,
          account,
          issuer,
          digits: entry.digits,
          period: entry.period,
          algorithm: entry.algorithm,
          counter: entry.counter,
          tokenType: entry.type.toUpperCase(),
          source: 'Link',
        },
        order: { position },
        ...(entry.groups?.[0] === undefined ? {} : { groupId: groupId(groupNames.indexOf(entry.groups[0])) }),
      };
    }),
    groups: groupNames.map((name, index) => ({ id: groupId(index), name, isExpanded: true })),
    updatedAt: now,
    schemaVersion: 4,
    appOrigin: 'open2fa',
  };
  return `${JSON.stringify(backup, null, 2)}\n`;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** 2FAS names groups by UUID; any unique text is read back. */
function groupId(index: number): string {
  return `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

/** 2FAS writes schema 4; a newer schema may have moved fields. */
const LATEST_SCHEMA = 4;
const ITERATIONS = 10_000;

/**
 * 2FAS's `.2fas` backup, plain or with a password: `servicesEncrypted` is `data:salt:iv` in base64,
 * the services' JSON under AES-256-GCM with a PBKDF2-HMAC-SHA256 key (10 000 iterations).
 */
export const twoFasFormat: ImportFormatSpec = {
  name: '2fas',
  label: '2FAS (.2fas backup, plain or with a password)',
  encryption: 'optional',
  detect: (source) => isTwoFasBackup(jsonOf(source)),
  async parse(source, options) {
    const document = jsonOf(source);
    if (!isTwoFasBackup(document)) return damagedOutcome('2fas', 'not a 2FAS backup');
    const schema = document.schemaVersion;
    if (typeof schema === 'number' && schema > LATEST_SCHEMA) {
      return unsupportedOutcome(
        '2fas',
        `2FAS backup schema ${String(schema)} is newer than open2fa knows: update open2fa`,
      );
    }
    if (!isEncryptedTwoFas(document)) {
      const items = parseTwoFas(document);
      return items === null ? damagedOutcome('2fas', 'no services list') : entriesOutcome('2fas', items);
    }
    if (options.password === undefined) return { kind: 'password-needed', format: '2fas' };
    const [data, salt, iv] = String(document.servicesEncrypted).split(':').map(decodeBase64);
    if (data == null || salt == null || iv == null)
      return damagedOutcome('2fas', 'servicesEncrypted is not data:salt:iv');
    const key = await pbkdf2('SHA-256', options.password, salt, ITERATIONS, 32);
    const plain = await aesGcmOpen(key, iv, data);
    if (plain === null) return { kind: 'wrong-password', format: '2fas' };
    const services = decodeJson(plain);
    if (!Array.isArray(services)) return damagedOutcome('2fas', 'the decrypted services are not a JSON list');
    return entriesOutcome('2fas', twoFasServices(services, document.groups));
  },
};
