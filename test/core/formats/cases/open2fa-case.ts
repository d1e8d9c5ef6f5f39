import { makeEntry } from '../../../../src/core/entry/model.js';
import { encryptBackup } from '../../../../src/core/formats/encrypted-backup.js';
import { serializeOpen2fa } from '../../../../src/core/formats/open2fa-format.js';
import { SECRET_B } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export const ENTRIES = [
  makeEntry('jbsw y3dp ehpk 3pxp', 'renamed', {
    issuer: 'GitHub',
    account: 'alice',
    groups: ['Work'],
    favorite: true,
    note: 'n',
  }),
  makeEntry(SECRET_B, 'Bank:bob', { type: 'hotp', counter: 3, algorithm: 'SHA512', digits: 8 }),
];

const PASSWORD = 'open2fa backup passphrase';

export const open2faCases: readonly FormatCase[] = [
  {
    format: 'open2fa',
    variant: 'JSON export',
    fileName: 'open2fa-export.json',
    file: () => Promise.resolve(serializeOpen2fa(ENTRIES)),
    expected: ENTRIES,
  },
  {
    format: 'open2fa-backup',
    variant: 'encrypted backup (PBKDF2, AES-GCM)',
    fileName: 'open2fa-backup.json',
    password: PASSWORD,
    file: () => encryptBackup(ENTRIES, PASSWORD),
    expected: ENTRIES,
  },
];
