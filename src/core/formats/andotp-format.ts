import { buildEntry } from './entry-builder.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';

/** Whether a parsed JSON document looks like an andOTP plain backup: a list of objects with a `secret`. */
export function isAndOtpBackup(document: unknown): document is unknown[] {
  return Array.isArray(document) && document.some((item) => isRecord(item) && 'secret' in item);
}

/**
 * The entries of an andOTP plain JSON backup: a list of `{ secret, issuer, label, digits, type
 * (TOTP, HOTP, STEAM), algorithm, period, counter, tags }`.
 */
export function parseAndOtp(document: readonly unknown[]): ImportItem[] {
  return document.map((item, index): ImportItem => {
    const position = `entry ${String(index + 1)}`;
    if (!isRecord(item)) return { ok: false, label: position, problem: 'not an andOTP entry' };
    const issuer = typeof item.issuer === 'string' ? item.issuer : '';
    let account = typeof item.label === 'string' ? item.label : '';
    // Old andOTP versions had no issuer field and kept "Issuer - account" or "Issuer:account" in the label.
    if (issuer !== '' && account.startsWith(`${issuer}:`)) account = account.slice(issuer.length + 1);
    const label = itemLabel(position, [issuer, account].filter((part) => part !== '').join(':'));
    const built = buildEntry({
      secret: item.secret,
      issuer,
      account,
      type: item.type,
      algorithm: item.algorithm,
      digits: item.digits,
      period: item.type === 'HOTP' ? undefined : item.period,
      counter: item.type === 'HOTP' ? item.counter : undefined,
    });
    return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
  });
}
