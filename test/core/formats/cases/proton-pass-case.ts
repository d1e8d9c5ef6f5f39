import { zipSync } from 'fflate';
import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export function item(
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

export const DATA = {
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

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', {
    issuer: 'GitHub',
    account: 'alice',
    note: 'recovery codes printed',
    groups: ['Personal'],
    favorite: true,
  }),
  makeEntry(SECRET_B, 'Bank:bob@example.com', { issuer: 'Bank', account: 'bob@example.com', groups: ['Work'] }),
];

export const protonPassCases: readonly FormatCase[] = [
  {
    format: 'proton-pass',
    variant: 'export ZIP',
    fileName: 'Proton Pass_export.zip',
    file: () => Promise.resolve(zipSync({ 'Proton Pass/data.json': new TextEncoder().encode(JSON.stringify(DATA)) })),
    expected: EXPECTED,
    refused: ['Work item 2 "Broken"'],
  },
];
