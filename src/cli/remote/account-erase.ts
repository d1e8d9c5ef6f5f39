import { exchangeJson, fail, malformed, statusFailure, type HttpResult } from '../../core/http/exchange.js';
import { isRecord } from '../../core/is-record.js';
import type { CommandContext } from '../command-context.js';
import { unwrap } from './http/http-errors.js';

/** What erasing an account on the server removed: v2 items and v1 entries (`null`: there was no such account). */
export interface ErasedAccount {
  readonly v2: number | null;
  readonly v1: number | null;
}

/** Whose rows to erase: the v1 base URL, the Open2FA ID (v1) and the v2 auth token. */
export interface AccountKeys {
  readonly apiUrl: string;
  readonly id: string;
  readonly authToken: string;
}

/**
 * Erases every row of an account on the server (protocol r2 R2.4): `DELETE /api/v2/account` with
 * the token, then `DELETE /api/v1/account` with the ID. An account the server does not know (404)
 * is already erased, which makes this safe to run again after an interruption.
 */
export async function eraseAccount(context: CommandContext, keys: AccountKeys): Promise<ErasedAccount> {
  const base = keys.apiUrl.replace(/\/v1$/, '');
  const fetch = context.deps.fetch;
  const v2 = unwrap(
    await erase(`${base}/v2/account`, { Authorization: `Bearer ${keys.authToken}` }, fetch, { body: {} }),
  );
  const v1 = unwrap(await erase(`${base}/v1/account`, { 'X-User-Hash': keys.id }, fetch, {}));
  return { v2, v1 };
}

async function erase(
  url: string,
  headers: Record<string, string>,
  fetch: typeof globalThis.fetch,
  extra: { body?: unknown },
): Promise<HttpResult<number | null>> {
  const result = await exchangeJson({ url, method: 'DELETE', headers, ...extra }, { fetch });
  if (!result.ok) return result;
  const answer = result.value;
  if (answer.status === 404) return { ok: true, value: null };
  if (answer.status !== 200) return fail(statusFailure(answer));
  const deleted = isRecord(answer.body) ? answer.body.deleted : undefined;
  if (typeof deleted !== 'number' || !Number.isSafeInteger(deleted) || deleted < 0) {
    return malformed(url, 'the answer is not {"deleted": N}');
  }
  return { ok: true, value: deleted };
}
