import { encodeBase32 } from '../encoding.js';
import { entryItem, refusedItem } from './format-items.js';
import { isRecord, type ImportItem } from './import-item.js';

/**
 * One FreeOTP token as FreeOTP and FreeOTP+ store it (Gson of `Token`): `type` TOTP or HOTP,
 * `algo`, `digits`, `period`, `counter`, `issuerExt` (the label's issuer), `issuerInt` (the
 * `issuer=` parameter), `issuerAlt`/`labelAlt` (renamed by the person, which win), `label`, and
 * `secret` as a list of signed bytes unless given apart (FreeOTP 2 keeps it encrypted). Absent
 * parameters take FreeOTP's defaults; a TOTP token of issuer `Steam` shows Steam codes, as in FreeOTP.
 */
export function freeotpTokenItem(position: string, token: unknown, secret?: Uint8Array): ImportItem {
  if (!isRecord(token)) return refusedItem(position, 'not a FreeOTP token');
  const issuer = firstText(token.issuerAlt, token.issuerExt, token.issuerInt);
  const account = firstText(token.labelAlt, token.label);
  const bytes = secret ?? javaBytes(token.secret);
  if (bytes === null || bytes.length === 0) {
    const name = [issuer, account].filter((part) => part !== undefined && part !== '').join(':');
    return refusedItem(position, 'the secret is not a list of bytes', name === '' ? null : name);
  }
  const type = typeof token.type === 'string' ? token.type.toLowerCase() : token.type;
  const steam = type === 'totp' && issuer === 'Steam';
  return entryItem(position, {
    secret: encodeBase32(bytes),
    issuer,
    account,
    type: steam ? 'steam' : type,
    algorithm: token.algo,
    digits: steam ? undefined : token.digits,
    period: type === 'hotp' ? undefined : token.period,
    counter: type === 'hotp' ? (token.counter ?? 0) : undefined,
  });
}

function firstText(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value.trim() !== '');
}

/** A `byte[]` as Gson writes it: Java bytes are signed, -128…127 (unsigned 0…255 is accepted too). */
export function javaBytes(value: unknown): Uint8Array | null {
  if (!Array.isArray(value)) return null;
  const bytes = new Uint8Array(value.length);
  for (const [index, byte] of value.entries()) {
    if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < -128 || byte > 255) return null;
    bytes[index] = byte & 0xff;
  }
  return bytes;
}
