import { describe, expect, it } from 'vitest';
import { changesPage, changesPageBody, type V2PageRow } from '../../src/store/v2-changes-page.js';
import { V2PageCache } from '../../src/store/v2-page-cache.js';
import { key } from './store-scenarios.js';

const VERSION = { id: 1, seq: 3, createdAt: 1000 };
const body = (bytes: number) => Buffer.alloc(bytes, 0x20);

describe('V2PageCache', () => {
  it('holds an answer only for the same cursor and page size', () => {
    const cache = new V2PageCache();
    cache.keep(key('a'), 0, 500, VERSION, body(10));
    expect(cache.held(key('a'), 0, 500)?.version).toEqual(VERSION);
    expect(cache.held(key('a'), 3, 500)).toBeUndefined();
    expect(cache.held(key('a'), 0, 10)).toBeUndefined();
    expect(cache.held(key('b'), 0, 500)).toBeUndefined();
    cache.forget(key('a'));
    expect(cache.held(key('a'), 0, 500)).toBeUndefined();
  });

  it('stays within its bytes, dropping the least recently used, and keeps no answer over the entry limit', () => {
    const cache = new V2PageCache(300, 120);
    for (const name of ['a', 'b', 'c']) cache.keep(key(name), 0, 500, VERSION, body(100));
    expect(cache.held(key('a'), 0, 500)).toBeDefined(); // now the most recently used
    cache.keep(key('d'), 0, 500, VERSION, body(100));
    expect(cache.held(key('b'), 0, 500)).toBeUndefined();
    for (const name of ['a', 'c', 'd']) expect(cache.held(key(name), 0, 500)).toBeDefined();
    cache.keep(key('e'), 0, 500, VERSION, body(121));
    expect(cache.held(key('e'), 0, 500)).toBeUndefined();
    // Keeping an account again replaces its answer and counts its bytes once.
    for (let round = 0; round < 5; round++) cache.keep(key('a'), 0, 500, VERSION, body(100));
    for (const name of ['a', 'c', 'd']) expect(cache.held(key(name), 0, 500)).toBeDefined();
  });
});

describe('the v2 changes page body', () => {
  const row = (over: Partial<V2PageRow>): V2PageRow => ({
    account_id: 1,
    account_seq: '7',
    account_created_at: '1000',
    item_id: 'item-a',
    rev: 2,
    seq: '7',
    deleted: 0,
    envelope: 'o2fa2.A',
    ...over,
  });

  it('says what the page of objects says, from the rows of either database', () => {
    const rows = [row({}), row({ item_id: 'item-b', seq: 8, deleted: 1, envelope: null }), row({ item_id: 'item-c' })];
    for (const limit of [1, 2, 3]) {
      const page = changesPage(rows, limit);
      expect(JSON.parse(changesPageBody(rows, limit).toString('utf8'))).toEqual(page);
      expect(page.more).toBe(limit < 3);
    }
    const none = [row({ item_id: null, rev: null, seq: null, deleted: null, envelope: null })];
    expect(changesPageBody(none, 500).toString('utf8')).toBe('{"items":[],"seq":7,"more":false}');
  });

  it('refuses a live item without an envelope', () => {
    expect(() => changesPageBody([row({ envelope: null })], 10)).toThrow(
      new TypeError('the store holds live item item-a without an envelope'),
    );
  });
});
