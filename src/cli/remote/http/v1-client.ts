import { createV1Client, type V1Client } from '../../../core/v1/client.js';
import type { V1DeleteResponse, V1PushResponse, V1StoredTotp, V1Totp } from '../../../core/v1/wire.js';
import { unwrap } from './http-errors.js';

export interface RemoteClientOptions {
  /** The v1 API base, e.g. `http://127.0.0.1:8000/api/v1` (no trailing slash). */
  readonly apiUrl: string;
  /** The Open2FA ID, sent as `X-User-Hash`. */
  readonly userHash: string;
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs?: number;
}

/**
 * The v1 API for CLI commands: core/v1's client (the one HTTP exchange of open2fa), with failures
 * turned into one-line `CliError`s naming the URL and the status.
 */
export class V1RemoteClient {
  readonly #client: V1Client;
  readonly #userHash: string;

  constructor(options: RemoteClientOptions) {
    this.#client = createV1Client({
      apiUrl: options.apiUrl,
      fetch: options.fetch,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    this.#userHash = options.userHash;
  }

  /** The URL every call goes to. */
  get url(): string {
    return this.#client.url;
  }

  /** Every stored entry, or `null` when the server does not know this ID (nothing pushed yet). */
  async list(): Promise<V1StoredTotp[] | null> {
    return unwrap(await this.#client.list(this.#userHash)).data;
  }

  /** Upserts entries (by ciphertext) and answers everything stored afterwards. */
  async push(totps: readonly V1Totp[]): Promise<V1PushResponse> {
    return unwrap(await this.#client.push(this.#userHash, totps)).data;
  }

  /** Deletes entries by ciphertext; `null` when the server does not know this ID. */
  async delete(totps: readonly V1Totp[]): Promise<V1DeleteResponse | null> {
    return unwrap(await this.#client.remove(this.#userHash, totps)).data;
  }
}
