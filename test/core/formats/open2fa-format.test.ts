import { describe, expect, it } from 'vitest';
import { encryptBackup, open2faBackupFormat } from '../../../src/core/formats/encrypted-backup.js';
import { open2faFormat, serializeOpen2fa } from '../../../src/core/formats/open2fa-format.js';
import { SECRET_A } from './format-fixtures.js';
import { importFile, itemsOf, okEntries } from './format-test-helpers.js';
import { ENTRIES } from './cases/open2fa-case.js';

describe("open2fa's own files through the registry", () => {
  it('reads the JSON export with groups and favourites, secrets as typed', async () => {
    expect(okEntries(itemsOf(await importFile(open2faFormat, serializeOpen2fa(ENTRIES)), 'open2fa'))).toEqual(ENTRIES);
  });

  it('reads the encrypted backup with its passphrase, and tells a wrong one', async () => {
    const backup = await encryptBackup(ENTRIES, 'backup passphrase');
    expect(await importFile(open2faBackupFormat, backup)).toEqual({
      kind: 'password-needed',
      format: 'open2fa-backup',
    });
    expect(
      okEntries(
        itemsOf(await importFile(open2faBackupFormat, backup, { password: 'backup passphrase' }), 'open2fa-backup'),
      ),
    ).toEqual(ENTRIES);
    expect(await importFile(open2faBackupFormat, backup, { password: 'nope' })).toEqual({
      kind: 'wrong-password',
      format: 'open2fa-backup',
    });
  });

  it('refuses a newer backup version with what to do', async () => {
    const newer = JSON.stringify({ format: 'open2fa-backup', version: 2 });
    expect(await importFile(open2faBackupFormat, newer, { password: 'x' })).toMatchObject({
      kind: 'unsupported',
      message: expect.stringMatching(/update open2fa/) as string,
    });
  });

  it('rejects a non-list groups field by entry', async () => {
    const file = JSON.stringify({
      format: 'open2fa-export',
      version: 1,
      entries: [{ secret: SECRET_A, name: 'x', groups: 'Work' }],
    });
    expect(itemsOf(await importFile(open2faFormat, file), 'open2fa')).toEqual([
      { ok: false, label: 'entry 1 "x"', problem: 'the groups are not a list of names' },
    ]);
  });
});
