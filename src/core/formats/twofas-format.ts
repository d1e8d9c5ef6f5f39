import { canonicalSecret } from '../entry/compare.js';
import { labelParts, type Entry } from '../entry/model.js';
import { buildEntry } from './entry-builder.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';

/** Whether a parsed JSON document is a 2FAS backup: `{ services: [...], schemaVersion }`. */
export function isTwoFasBackup(document: unknown): document is Record<string, unknown> {
  return isRecord(document) && (Array.isArray(document.services) || 'servicesEncrypted' in document);
}

/** A password-protected 2FAS backup keeps its services in `servicesEncrypted` and leaves `services` empty. */
export function isEncryptedTwoFas(document: Record<string, unknown>): boolean {
  return typeof document.servicesEncrypted === 'string' && document.servicesEncrypted !== '';
}

/**
 * The entries of an unencrypted 2FAS backup: `services[]` with `name` (the service), `secret` and
 * `otp { account, issuer, label, digits, period, algorithm, counter, tokenType }`; `tokenType` is
 * TOTP, HOTP or STEAM.
 */
export function parseTwoFas(document: Record<string, unknown>): ImportItem[] | null {
  if (!Array.isArray(document.services)) return null;
  return document.services.map((item: unknown, index): ImportItem => {
    const position = `service ${String(index + 1)}`;
    if (!isRecord(item)) return { ok: false, label: position, problem: 'not a 2FAS service' };
    const otp = isRecord(item.otp) ? item.otp : {};
    const account = nonEmpty(otp.account) ?? nonEmpty(otp.label);
    // The service name stands in for a missing issuer, unless it merely repeats the account.
    const service = nonEmpty(item.name);
    const issuer = nonEmpty(otp.issuer) ?? (service === account ? undefined : service);
    const label = itemLabel(position, [issuer, account].filter((part) => part !== undefined).join(':'));
    const built = buildEntry({
      secret: item.secret,
      issuer,
      account,
      type: otp.tokenType,
      algorithm: otp.algorithm,
      digits: otp.digits,
      period: otp.tokenType === 'HOTP' ? undefined : otp.period,
      counter: otp.tokenType === 'HOTP' ? otp.counter : undefined,
      note: item.notes,
    });
    return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
  });
}

/**
 * An unencrypted 2FAS backup (schema 4) holding the entries. 2FAS has no note field: a note goes
 * into `notes`, which 2FAS ignores and open2fa reads back.
 */
export function serializeTwoFas(entries: readonly Entry[], now: number = Date.now()): string {
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
      };
    }),
    groups: [],
    updatedAt: now,
    schemaVersion: 4,
    appOrigin: 'open2fa',
  };
  return `${JSON.stringify(backup, null, 2)}\n`;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
