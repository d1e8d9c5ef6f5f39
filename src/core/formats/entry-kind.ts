import type { Entry } from '../entry/model.js';

// No value imports: the CLI's `list` uses this and must not load otpauth.
const DEFAULT_DIGITS = 6;
const DEFAULT_PERIOD = 30;

/**
 * The parameters of an entry in a few characters, for tables and import reports: `totp`,
 * `totp SHA256/8/60s`, `hotp #3`, `steam`.
 */
export function describeKind(entry: Entry): string {
  if (entry.type === 'steam') return 'steam';
  const extras: string[] = [];
  const custom =
    entry.algorithm !== 'SHA1' ||
    entry.digits !== DEFAULT_DIGITS ||
    (entry.type === 'totp' && entry.period !== DEFAULT_PERIOD);
  if (custom) {
    const period = entry.type === 'totp' ? [`${String(entry.period)}s`] : [];
    extras.push([entry.algorithm, String(entry.digits), ...period].join('/'));
  }
  if (entry.type === 'hotp') extras.push(`#${String(entry.counter)}`);
  return [entry.type, ...extras].join(' ');
}
