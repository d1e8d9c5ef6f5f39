import { describe, expect, it } from 'vitest';
import { deriveV1Credentials, deriveV2Keys, makeEntry, sealEnvelope } from '../../src/core/index.js';
import type { V2Item } from '../../src/core/v2/wire.js';
import type { ApiClient } from '../../src/web/api-client.js';
import type { V2ApiClient } from '../../src/web/api-v2-client.js';
import { createActions } from '../../src/web/actions/index.js';
import { AppStore } from '../../src/web/app-state.js';
import { openItems } from '../../src/web/v2-entries.js';

const UUID = '692a3e6b-4bd4-400b-aa2b-8261695b5ffb';

async function session() {
  const { id, key } = await deriveV1Credentials(UUID);
  return { id, key, v2: await deriveV2Keys(key) };
}

describe('web UI v2 logic (pure modules, run in Node)', () => {
  it('opens live items, skips tombstones and counts integrity failures', async () => {
    const { id, v2 } = await session();
    const item = async (itemId: string, rev: number, name: string, sealedFor = itemId): Promise<V2Item> => ({
      id: itemId,
      rev,
      seq: rev,
      deleted: false,
      envelope: await sealEnvelope(
        v2.envelopeKey,
        { userId: id, itemId: sealedFor },
        makeEntry('JBSWY3DPEHPK3PXP', name),
        rev,
      ),
    });
    const items: V2Item[] = [
      await item('item-aaaaaaaaaaaaaaaa', 1, 'old name'),
      await item('item-aaaaaaaaaaaaaaaa', 2, 'new name'),
      await item('item-bbbbbbbbbbbbbbbb', 1, 'moved', 'item-cccccccccccccccc'),
      { id: 'item-dddddddddddddddd', rev: 2, seq: 5, deleted: true, envelope: null },
      { ...(await item('item-eeeeeeeeeeeeeeee', 1, 'not an envelope')), envelope: 'garbage' },
    ];
    const opened = await openItems(v2.envelopeKey, id, items);
    expect(opened.entries.map((entry) => [entry.key, entry.name, entry.storage])).toEqual([
      [
        'v2:item-aaaaaaaaaaaaaaaa',
        'new name',
        // The envelope as served: what the page's trash keeps if the entry is deleted.
        { protocol: 'v2', itemId: 'item-aaaaaaaaaaaaaaaa', rev: 2, envelope: items[1]?.envelope },
      ],
    ]);
    expect(opened.integrityFailed).toBe(2);
  });

  it('adds imported entries as v2 items in order and stops at the first failure', async () => {
    const store = new AppStore();
    store.update({ session: await session() });
    const puts: { rev: number; envelope: string }[] = [];
    const answer = { dateHeader: null, sentAt: 0, receivedAt: 0 };
    const apiV2: V2ApiClient = {
      pull: () => Promise.reject(new Error('not used')),
      remove: () => Promise.reject(new Error('not used')),
      put: (_auth, itemId, rev, envelope) => {
        puts.push({ rev, envelope });
        return Promise.resolve(
          puts.length < 3
            ? {
                ok: true,
                answer: {
                  ...answer,
                  body: { item: { id: itemId, rev: 1, seq: puts.length, deleted: false, envelope }, seq: puts.length },
                },
              }
            : { ok: false, failure: { kind: 'conflict', item: null, detail: 'a user can store at most 2 items' } },
        );
      },
    };
    const actions = createActions(store, {} as ApiClient, apiV2);
    const entries = ['A', 'B', 'C'].map((name) => makeEntry('JBSWY3DPEHPK3PXP', name, { type: 'hotp', counter: 3 }));
    expect(await actions.addEntries(entries)).toBe(2);
    expect(puts.map((put) => put.rev)).toEqual([0, 0, 0]);
    expect(puts.every((put) => put.envelope.startsWith('o2fa2.'))).toBe(true);
    expect(store.state.entries.map((entry) => [entry.name, entry.type, entry.counter])).toEqual([
      ['A', 'hotp', 3],
      ['B', 'hotp', 3],
    ]);
    expect(store.state.notice).toEqual({
      tone: 'error',
      text: 'Added 2 entries, then stopped: The server refused the change: a user can store at most 2 items',
    });
    expect(store.state.busy).toBe(false);
  });
});
