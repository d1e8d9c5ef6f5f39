import type { V1DeleteResponse, V1PushResponse, V1StoredTotp, V1Totp } from '../../../core/wire/v1-wire.js';
import { CliError } from '../../cli-error.js';
import { errorDetail, unreachableMessage } from './http-errors.js';

// Only types come from the wire module: its TypeBox schemas take ~200 ms to load, more than the
// whole CLI may spend, so responses are checked by the small guards below instead.

/** The server's words for an ID it has never seen (only a push creates users). */
const UNKNOWN_USER_DETAIL = 'No user found for the given X-User-Hash header';
const REQUEST_TIMEOUT_MS = 15_000;

export interface RemoteClientOptions {
  /** The v1 API base, e.g. `http://127.0.0.1:8000/api/v1` (no trailing slash). */
  readonly apiUrl: string;
  /** The Open2FA ID, sent as `X-User-Hash`. */
  readonly userHash: string;
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs?: number;
}

/**
 * The v1 API as the open2fa 1.x client spoke it: one resource, `totps`, identified by the
 * `X-User-Hash` header. Failures become one-line `CliError`s naming the URL and the status.
 */
export class V1RemoteClient {
  readonly #options: RemoteClientOptions;

  constructor(options: RemoteClientOptions) {
    this.#options = options;
  }

  /** The URL every call goes to. */
  get url(): string {
    return `${this.#options.apiUrl}/totps`;
  }

  /** Every stored entry, or `null` when the server does not know this ID (nothing pushed yet). */
  async list(): Promise<V1StoredTotp[] | null> {
    const body = await this.#request('GET');
    if (body === null) return null;
    return toStored(field(body, 'totps', isStoredTotps, this.url));
  }

  /** Upserts entries (by ciphertext) and answers everything stored afterwards. */
  async push(totps: readonly V1Totp[]): Promise<V1PushResponse> {
    const body = await this.#request('POST', { totps });
    if (body === null) throw this.#invalid('the ID is unknown right after a push');
    return {
      user_created: field(body, 'user_created', isBoolean, this.url),
      totps: toStored(field(body, 'totps', isStoredTotps, this.url)),
    };
  }

  /** Deletes entries by ciphertext; `null` when the server does not know this ID. */
  async delete(totps: readonly V1Totp[]): Promise<V1DeleteResponse | null> {
    const body = await this.#request('DELETE', { totps });
    if (body === null) return null;
    return { deleted: field(body, 'deleted', isCount, this.url) };
  }

  /** Sends one request; `null` means "unknown user" (a 404 with the server's exact words). */
  async #request(method: string, payload?: { totps: readonly V1Totp[] }): Promise<Record<string, unknown> | null> {
    const response = await this.#send(method, payload);
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      const detail = errorDetail(text);
      if (response.status === 404 && detail === UNKNOWN_USER_DETAIL) return null;
      const status = `${String(response.status)} ${response.statusText}`.trim();
      const why = detail === null ? '' : `: ${detail}`;
      throw new CliError('remote_http', `the open2fa server at ${this.url} answered ${status}${why}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.#invalid('the answer is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw this.#invalid('expected an object');
    return body as Record<string, unknown>;
  }

  async #send(method: string, payload?: { totps: readonly V1Totp[] }): Promise<Response> {
    const headers: Record<string, string> = { 'X-User-Hash': this.#options.userHash, Accept: 'application/json' };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    const timeoutMs = this.#options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    // Called unbound: browsers' fetch throws "Illegal invocation" when `this` is another object.
    const fetch = this.#options.fetch;
    try {
      return await fetch(this.url, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CliError('remote_unreachable', unreachableMessage(this.url, error, timeoutMs), { cause: error });
    }
  }

  #invalid(why: string): CliError {
    return new CliError(
      'remote_invalid_response',
      `the open2fa server at ${this.url} sent an unexpected answer (${why})`,
    );
  }
}

/** A stored entry as it may arrive: `name` may be missing from servers other than ours. */
interface IncomingTotp {
  enc_secret: string;
  name?: string | null;
}

function field<T>(body: Record<string, unknown>, key: string, guard: (value: unknown) => value is T, url: string): T {
  const value = body[key];
  if (!guard(value)) {
    throw new CliError(
      'remote_invalid_response',
      `the open2fa server at ${url} sent an unexpected answer (bad "${key}")`,
    );
  }
  return value;
}

function isStoredTotps(value: unknown): value is IncomingTotp[] {
  return Array.isArray(value) && value.every(isIncomingTotp);
}

function isIncomingTotp(item: unknown): item is IncomingTotp {
  if (typeof item !== 'object' || item === null) return false;
  const totp = item as Partial<Record<string, unknown>>;
  return (
    typeof totp.enc_secret === 'string' &&
    (totp.name === undefined || totp.name === null || typeof totp.name === 'string')
  );
}

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The wire type the rest of the CLI sees: `name` always present, `null` when unnamed. */
function toStored(totps: readonly IncomingTotp[]): V1StoredTotp[] {
  return totps.map((totp) => ({ enc_secret: totp.enc_secret, name: totp.name ?? null }));
}
