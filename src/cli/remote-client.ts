import type { HttpFailure, HttpResult } from '../core/http/exchange.js';
import { createV1Client, type V1Client } from '../core/v1/client.js';
import type { V1DeleteResponse, V1PushResponse, V1StoredTotp, V1Totp } from '../core/v1/wire.js';
import { CliError } from './cli-error.js';
import { printable } from './text-format.js';

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

/** The value of a core result, or the failure as the CLI reports it. */
export function unwrap<T>(result: HttpResult<T>): T {
  if (result.ok) return result.value;
  throw httpError(result.failure);
}

/**
 * A failure in the CLI's words. Everything the server said (its `detail`) is untrusted: it is shown
 * through `printable`, so no escape sequence reaches the terminal.
 */
export function httpError(failure: HttpFailure): CliError {
  const at = `the open2fa server at ${printable(failure.url)}`;
  switch (failure.kind) {
    case 'unreachable':
      return new CliError(
        'remote_unreachable',
        `cannot reach ${at} (${printable(failure.reason)}); check OPEN2FA_API_URL`,
      );
    case 'timeout':
      return new CliError('remote_unreachable', `${at} did not answer within ${String(failure.seconds)} s`);
    case 'malformed':
      return new CliError('remote_invalid_response', `${at} sent an unexpected answer (${failure.why})`);
    case 'unauthorized':
      return new CliError(
        'remote_unauthorized',
        `${at} answered 401 Unauthorized${why(failure.detail)}; it refused the auth token derived from ` +
          'the Open2FA Secret',
      );
    case 'not_found':
      return new CliError('remote_http', `${at} answered 404 Not Found${why(failure.detail)}`);
    case 'rate_limited':
      return new CliError('remote_http', `${at} answered 429 Too Many Requests${why(failure.detail)}`);
    case 'server':
    case 'rejected':
      return new CliError(
        'remote_http',
        `${at} answered ${`${String(failure.status)} ${printable(failure.statusText)}`.trim()}${why(failure.detail)}`,
      );
  }
}

function why(detail: string | null): string {
  return detail === null ? '' : `: ${printable(detail)}`;
}
