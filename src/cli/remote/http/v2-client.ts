import type { Answered } from '../../../core/http/exchange.js';
import { createV2Client, type V2Client, type V2Listing, type V2WriteOutcome } from '../../../core/v2/client.js';
import type { V2ChangesResponse } from '../../../core/v2/wire.js';
import { unwrap } from './http-errors.js';

export interface V2ClientOptions {
  /** The v2 API base, e.g. `http://127.0.0.1:8000/api/v2` (no trailing slash). */
  readonly apiUrl: string;
  /** The bearer token derived from the Open2FA Secret. */
  readonly authToken: string;
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs?: number;
}

export type { V2WriteOutcome };

/**
 * The v2 API for CLI commands: core/v2's client, failures as `CliError`s. A stale revision and an
 * unknown id stay values, since sync merges on them. `core` is the result-valued client sync uses.
 */
export class V2RemoteClient {
  readonly core: V2Client;

  constructor(options: V2ClientOptions) {
    this.core = createV2Client({
      apiUrl: options.apiUrl,
      token: options.authToken,
      fetch: options.fetch,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  }

  /** The items URL, e.g. for messages. */
  get url(): string {
    return this.core.url;
  }

  /** One page of changes after `since`. */
  async changes(since: number, limit?: number): Promise<V2ChangesResponse> {
    return data(unwrap(await this.core.changes(since, limit)));
  }

  /** Every change after `since`, page by page (page cap and advancing cursor: core/http/paging.ts). */
  async allChanges(since: number): Promise<V2Listing> {
    return data(unwrap(await this.core.allChanges(since)));
  }

  async put(id: string, baseRev: number, envelope: string): Promise<V2WriteOutcome> {
    return data(unwrap(await this.core.put(id, baseRev, envelope)));
  }

  /** Sends a deletion with its sealed tombstone. */
  async delete(id: string, baseRev: number, envelope: string): Promise<V2WriteOutcome> {
    return data(unwrap(await this.core.remove(id, baseRev, envelope)));
  }
}

function data<T>(answered: Answered<T>): T {
  return answered.data;
}
