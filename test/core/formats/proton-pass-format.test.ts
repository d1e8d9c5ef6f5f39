import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { protonPassFormat } from '../../../src/core/formats/proton-pass-format.js';
import { SECRET_A, SECRET_B } from './format-fixtures.js';
import { importFile, itemsOf, like, okEntries, problems } from './format-test-helpers.js';

// Proton Pass's export: a ZIP holding "Proton Pass/data.json" `{ version, userId, encrypted,
// vaults: { id: { name, items: [{ itemId, data { type, metadata { name, note }, content {
// itemUsername, itemEmail, password, urls, totpUri } }, pinned }] } } }`.

function item(
  name: string,
  content: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    itemId: `item-${name}`,
    shareId: 'share',
    data: {
      metadata: { name, note: '', itemUuid: 'u' },
      extraFields: [],
      type: 'login',
      content: {
        itemEmail: '',
        password: 'hunter2',
        urls: [],
        totpUri: '',
        passkeys: [],
        itemUsername: '',
        ...content,
      },
    },
    state: 1,
    pinned: false,
    createTime: 1700000000,
    modifyTime: 1700000000,
    ...extra,
  };
}

const DATA = {
  version: '1.21.0',
  userId: 'user',
  encrypted: false,
  vaults: {
    v1: {
      name: 'Personal',
      description: '',
      items: [
        item(
          'GitHub',
          { itemUsername: 'alice', totpUri: `otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub` },
          { pinned: true },
        ),
        item('Forum', { itemEmail: 'carol@example.com' }),
        { ...item('Note', {}), data: { type: 'note', metadata: { name: 'Note', note: 'x' }, content: {} } },
      ],
    },
    v2: {
      name: 'Work',
      items: [
        item('Bank', { itemEmail: 'bob@example.com', totpUri: SECRET_B }),
        item('Broken', { totpUri: 'otpauth://totp/x?secret=1' }),
      ],
    },
  },
};
(DATA.vaults.v1.items[0]?.data as { metadata: { note: string } }).metadata.note = 'recovery codes printed';

const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', {
    issuer: 'GitHub',
    account: 'alice',
    note: 'recovery codes printed',
    groups: ['Personal'],
    favorite: true,
  }),
  makeEntry(SECRET_B, 'Bank:bob@example.com', { issuer: 'Bank', account: 'bob@example.com', groups: ['Work'] }),
];

describe('Proton Pass export', () => {
  it('reads the TOTP logins of the ZIP with vault, note and pin, and names a bad one', async () => {
    const zip = zipSync({ 'Proton Pass/data.json': new TextEncoder().encode(JSON.stringify(DATA)) });
    const items = itemsOf(
      await importFile(protonPassFormat, zip, { fileName: 'Proton Pass_export.zip' }),
      'proton-pass',
    );
    expect(okEntries(items.slice(0, 2))).toEqual(EXPECTED);
    expect(problems(items)).toEqual([['Work item 2 "Broken"', 'the secret is not base32']]);
  });

  it('reads data.json by itself', async () => {
    const items = itemsOf(await importFile(protonPassFormat, JSON.stringify(DATA)), 'proton-pass');
    expect(okEntries(items.slice(0, 2))).toEqual(EXPECTED);
  });

  it('refuses a damaged ZIP and an encrypted export with what to do', async () => {
    const zip = zipSync({ 'Proton Pass/data.json': new TextEncoder().encode(JSON.stringify(DATA)) });
    expect(await importFile(protonPassFormat, zip.subarray(0, zip.length - 30))).toMatchObject({
      kind: 'unsupported',
      message: like(/damaged/),
    });
    expect(await importFile(protonPassFormat, JSON.stringify({ ...DATA, encrypted: true }))).toMatchObject({
      kind: 'unsupported',
      message: like(/export again without encryption/),
    });
  });
});
