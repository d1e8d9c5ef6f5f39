import { canonicalSecret } from '../entry/compare.js';
import { labelParts, type Entry } from '../entry/model.js';
import { buildEntry, type BuiltEntry } from './entry-builder.js';

const URI_PATTERN = /^otpauth:\/\/([A-Za-z]+)\/([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;

/**
 * Reads an `otpauth://TYPE/LABEL?secret=…` URI: `totp`, `hotp` and `steam` (Aegis's and Ente Auth's
 * spelling for Steam Guard). The label is `Issuer:account`, split at its first literal colon; the
 * `issuer` parameter wins over the label's prefix. Ente Auth keeps a note, tags and a pin in the
 * JSON of its `codeDisplay` parameter, which are read too.
 *
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 */
export function parseOtpauthUri(uri: string): BuiltEntry {
  const match = URI_PATTERN.exec(uri.trim());
  if (match === null) return { ok: false, problem: 'not an otpauth://TYPE/LABEL?secret=… URI' };
  const [, type = '', rawLabel = '', query = ''] = match;
  let params: Map<string, string>;
  let label: string[];
  try {
    params = new Map(
      query
        .split('&')
        .filter((pair) => pair !== '')
        .map((pair) => {
          const [key = '', ...value] = pair.split('=');
          return [queryText(key).toLowerCase(), queryText(value.join('='))] as const;
        }),
    );
    label = rawLabel.split(':').map((part) => decodeURIComponent(part));
  } catch {
    return { ok: false, problem: 'the URI has a broken %-escape' };
  }
  const prefix = label.length > 1 ? (label[0] ?? '') : '';
  let account = (label.length > 1 ? label.slice(1).join(':') : (label[0] ?? '')).trim();
  const issuer = (params.get('issuer') ?? prefix).trim();
  // "ACME%3Ajohn" with issuer=ACME: the colon was escaped, but it still separates the issuer.
  if (issuer !== '' && account.startsWith(`${issuer}:`)) account = account.slice(issuer.length + 1).trim();
  return buildEntry({
    secret: params.get('secret'),
    issuer,
    account,
    type,
    algorithm: params.get('algorithm'),
    digits: params.get('digits'),
    period: params.get('period'),
    counter: params.get('counter'),
    ...enteDisplay(params.get('codedisplay')),
  });
}

/**
 * The `otpauth://` URI of an entry, the text of its QR code. Every parameter is written out (apps
 * differ in their defaults); a note, groups and a favourite go into Ente Auth's `codeDisplay`.
 */
export function formatOtpauthUri(entry: Entry): string {
  const { issuer, account } = labelParts(entry);
  const label =
    issuer !== '' && account !== issuer
      ? `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`
      : encodeURIComponent(account || issuer);
  const params: [string, string][] = [['secret', canonicalSecret(entry.secret)]];
  if (issuer !== '') params.push(['issuer', issuer]);
  params.push(['algorithm', entry.algorithm], ['digits', String(entry.digits)]);
  params.push(entry.type === 'hotp' ? ['counter', String(entry.counter)] : ['period', String(entry.period)]);
  const display = {
    ...(entry.note === undefined ? {} : { note: entry.note }),
    ...(entry.groups === undefined ? {} : { tags: entry.groups }),
    ...(entry.favorite === true ? { pinned: true } : {}),
  };
  if (Object.keys(display).length > 0) params.push(['codeDisplay', JSON.stringify(display)]);
  const query = params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return `otpauth://${entry.type}/${label}?${query}`;
}

/**
 * One name or value of a query string: `+` is a space there (`issuer=Air+Canada`), as Google
 * Authenticator and Aegis read it; a plus sign itself is written `%2B`.
 *
 * @see https://url.spec.whatwg.org/#application/x-www-form-urlencoded
 */
function queryText(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** Ente Auth's `codeDisplay` JSON: `note`, `tags` (groups) and `pinned` (favourite) are kept. */
function enteDisplay(codeDisplay: string | undefined): { note?: string; groups?: unknown; favorite?: boolean } {
  if (codeDisplay === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(codeDisplay);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { note, tags, pinned } = parsed as { note?: unknown; tags?: unknown; pinned?: unknown };
  return {
    ...(typeof note === 'string' && note !== '' ? { note } : {}),
    ...(Array.isArray(tags) ? { groups: tags.filter((tag) => typeof tag === 'string') } : {}),
    ...(pinned === true ? { favorite: true } : {}),
  };
}
