import { expect } from 'vitest';
import {
  deriveV2Keys,
  isOpen2faError,
  openEnvelope,
  randomItemId,
  sealEnvelope,
  type Entry,
  type V2Keys,
} from '../../src/core/index.js';
import { sealTombstone } from '../../src/core/v2/cipher.js';
import type { V2ChangesResponse, V2WriteResponse } from '../../src/core/v2/wire.js';
import type { TestServer } from '../helpers/test-server.js';
import type { TestUser } from './ui-helpers.js';

/** A v2 client written in the test from docs/protocol.md §3: keys from the core, requests by `app.inject`. */
export class V2TestClient {
  readonly #server: TestServer;
  readonly #user: TestUser;
  #keys: V2Keys | null = null;

  constructor(server: TestServer, user: TestUser) {
    this.#server = server;
    this.#user = user;
  }

  async keys(): Promise<V2Keys> {
    this.#keys ??= await deriveV2Keys(this.#user.key);
    return this.#keys;
  }

  async request(
    method: 'GET' | 'PUT' | 'DELETE',
    url: string,
    options: { ifMatch?: string; envelope?: string } = {},
  ): Promise<{ status: number; body: unknown }> {
    const { authToken } = await this.keys();
    const response = await this.#server.app.inject({
      method,
      url,
      // Protocol revision 2: the token is the account; the Open2FA ID is not sent.
      headers: {
        authorization: `Bearer ${authToken}`,
        ...(options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch }),
      },
      ...(options.envelope === undefined ? {} : { payload: { envelope: options.envelope } }),
    });
    return { status: response.statusCode, body: response.json() };
  }

  /** Deletes an item as a revision 2 client does: with a tombstone sealed for revision `rev` + 1. */
  async remove(itemId: string, rev: number): Promise<{ status: number; body: unknown }> {
    const envelope = await sealTombstone((await this.keys()).envelopeKey, { userId: this.#user.id, itemId }, rev + 1);
    return this.request('DELETE', `/api/v2/items/${itemId}`, { ifMatch: `"${String(rev)}"`, envelope });
  }

  /** The envelope of revision `rev` of an item. */
  async seal(itemId: string, entry: Entry, rev = 1): Promise<string> {
    return sealEnvelope((await this.keys()).envelopeKey, { userId: this.#user.id, itemId }, entry, rev);
  }

  /** Creates or replaces an item; returns its new revision. */
  async put(entry: Entry, itemId: string = randomItemId(), rev = 0): Promise<{ id: string; rev: number }> {
    const response = await this.request('PUT', `/api/v2/items/${itemId}`, {
      ifMatch: `"${String(rev)}"`,
      envelope: await this.seal(itemId, entry, rev + 1),
    });
    expect(response.status).toBe(200);
    const { item } = response.body as V2WriteResponse;
    return { id: item.id, rev: item.rev };
  }

  async seed(entries: readonly Entry[]): Promise<{ id: string; rev: number }[]> {
    const stored: { id: string; rev: number }[] = [];
    for (const entry of entries) stored.push(await this.put(entry));
    return stored;
  }

  /** The live items as the server holds them, decrypted here (`null` for an envelope that fails integrity). */
  async live(): Promise<{ id: string; rev: number; entry: Entry | null }[]> {
    const response = await this.request('GET', '/api/v2/items?since=0&limit=1000');
    expect(response.status).toBe(200);
    const { items } = response.body as V2ChangesResponse;
    const { envelopeKey } = await this.keys();
    return Promise.all(
      items
        .filter((item) => !item.deleted)
        .map(async (item) => ({
          id: item.id,
          rev: item.rev,
          entry: await openEnvelope(envelopeKey, { userId: this.#user.id, itemId: item.id }, item.envelope).catch(
            (error: unknown) => {
              if (isOpen2faError(error, 'integrity_failed')) return null;
              throw error;
            },
          ),
        })),
    );
  }

  /** All items, tombstones included. */
  async all(): Promise<V2ChangesResponse['items']> {
    const response = await this.request('GET', '/api/v2/items?since=0&limit=1000');
    return (response.body as V2ChangesResponse).items;
  }
}
