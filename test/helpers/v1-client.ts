import { decryptV1, deriveV1Credentials, encryptV1 } from '../../src/core/index.js';
import type { V1DeleteResponse, V1ListResponse, V1PushResponse } from '../../src/core/v1/wire.js';

export interface PlainTotp {
  readonly secret: string;
  readonly name: string | null;
}

/**
 * A minimal open2fa 1.x client written from the wire contract, for tests: it encrypts with the core,
 * speaks HTTP with fetch, and decrypts what comes back.
 */
export class V1TestClient {
  readonly #apiUrl: string;
  readonly #uuid: string;

  constructor(apiUrl: string, uuid: string) {
    this.#apiUrl = apiUrl;
    this.#uuid = uuid;
  }

  async push(totps: readonly PlainTotp[]): Promise<{ userCreated: boolean; totps: PlainTotp[] }> {
    const body = await this.#request<V1PushResponse>('POST', { totps: await this.#encrypt(totps) });
    return { userCreated: body.user_created, totps: await this.#decrypt(body.totps) };
  }

  async pull(): Promise<PlainTotp[]> {
    return this.#decrypt((await this.#request<V1ListResponse>('GET')).totps);
  }

  async delete(totps: readonly PlainTotp[]): Promise<number> {
    return (await this.#request<V1DeleteResponse>('DELETE', { totps: await this.#encrypt(totps) })).deleted;
  }

  async #encrypt(totps: readonly PlainTotp[]) {
    const { key } = await deriveV1Credentials(this.#uuid);
    return Promise.all(totps.map(async (totp) => ({ enc_secret: await encryptV1(key, totp.secret), name: totp.name })));
  }

  async #decrypt(totps: V1ListResponse['totps']): Promise<PlainTotp[]> {
    const { key } = await deriveV1Credentials(this.#uuid);
    return Promise.all(totps.map(async (totp) => ({ secret: await decryptV1(key, totp.enc_secret), name: totp.name })));
  }

  async #request<T>(method: string, body?: unknown): Promise<T> {
    const { id } = await deriveV1Credentials(this.#uuid);
    const response = await fetch(`${this.#apiUrl}/totps`, {
      method,
      headers: { 'X-User-Hash': id, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} /totps → ${String(response.status)} ${await response.text()}`);
    return (await response.json()) as T;
  }
}
