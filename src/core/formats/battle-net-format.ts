import { encodeBase32 } from '../encoding.js';
import { fromHex } from './decoders/legacy-ciphers.js';
import { hasSharedPref, parseSharedPrefs } from './decoders/shared-prefs-xml.js';
import type { ImportFormatSpec, ImportOutcome, ImportSource } from './format-spec.js';
import { entriesOutcome, entryItem, position, refusedItem, unsupportedOutcome } from './format-items.js';

const FORMAT = 'battle-net';
const SERIAL = 'com.blizzard.messenger.AUTHENTICATOR_SERIAL';
const DEVICE_SECRET = 'com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET';
/** The fixed XOR mask the Battle.net app stores both values under. */
const MASK = fromHex(
  '398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a',
);

/**
 * The Battle.net app's `shared_prefs/com.blizzard.messenger.authenticator_preferences.xml`: the
 * authenticator's serial and device secret, each hex of its text XOR-ed with a fixed mask; the
 * secret's text is itself the hex of the key. Codes are TOTP, SHA1, 8 digits, 30 seconds.
 */
export const battleNetFormat: ImportFormatSpec = {
  name: FORMAT,
  label: 'Battle.net Authenticator (shared-preferences XML)',
  encryption: 'none',
  detect: (source) => hasSharedPref(source.text, DEVICE_SECRET),
  parse: (source) => Promise.resolve(parse(source)),
};

function parse(source: ImportSource): ImportOutcome {
  const prefs = source.text === null ? null : parseSharedPrefs(source.text);
  const masked = prefs?.get(DEVICE_SECRET);
  if (prefs === null || masked === undefined) {
    return unsupportedOutcome(FORMAT, 'the file has no Battle.net authenticator secret');
  }
  const maskedSerial = prefs.get(SERIAL);
  const serial = maskedSerial === undefined || maskedSerial === '' ? '' : unmask(maskedSerial);
  const secretHex = unmask(masked);
  const secret = secretHex === null ? null : fromHex(secretHex);
  if (serial === null || secret === null || secret.length === 0) {
    return entriesOutcome(FORMAT, [refusedItem(position(0), 'the masked serial or secret is damaged', 'Battle.net')]);
  }
  return entriesOutcome(FORMAT, [
    entryItem(position(0), {
      secret: encodeBase32(secret),
      issuer: 'Battle.net',
      account: serial,
      digits: 8,
    }),
  ]);
}

/** Hex → bytes XOR the mask → text (the mask is as long as any value the app stores). */
export function unmask(maskedHex: string): string | null {
  const bytes = fromHex(maskedHex);
  if (bytes === null || MASK === null || bytes.length > MASK.length) return null;
  return String.fromCharCode(...bytes.map((byte, index) => byte ^ (MASK[index] ?? 0)));
}
