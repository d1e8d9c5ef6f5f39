import { hex } from '@scure/base';
import { makeEntry } from '../../../../src/core/entry/model.js';
import { base32Of, sharedPrefsXml } from '../android-fixtures.js';
import { SECRET_B } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export const MASK = hex.decode(
  '398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a',
);
export const SERIAL_KEY = 'com.blizzard.messenger.AUTHENTICATOR_SERIAL';
export const SECRET_KEY = 'com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET';

export function mask(text: string): string {
  return hex.encode(Uint8Array.from(text, (char, index) => char.charCodeAt(0) ^ (MASK[index] ?? 0)));
}

/** The preferences file of one authenticator holding SECRET_B. */
export const PREFERENCES_XML = sharedPrefsXml([
  [SERIAL_KEY, mask('EU-1234-5678-9012')],
  [SECRET_KEY, mask(hex.encode(base32Of(SECRET_B)))],
  ['com.blizzard.messenger.OTHER', 'x'],
]);

export const EXPECTED = [
  makeEntry(SECRET_B, 'Battle.net:EU-1234-5678-9012', {
    issuer: 'Battle.net',
    account: 'EU-1234-5678-9012',
    digits: 8,
  }),
];

export const battleNetCases: readonly FormatCase[] = [
  {
    format: 'battle-net',
    variant: 'authenticator preferences XML',
    fileName: 'com.blizzard.messenger.authenticator_preferences.xml',
    file: () => Promise.resolve(PREFERENCES_XML),
    expected: EXPECTED,
  },
];
