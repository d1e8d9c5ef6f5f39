import { deriveV1Credentials, parseV1Secret } from '../core/v1/keys.js';
import { isUuid } from '../core/uuid.js';
import type { Credentials } from './app-state.js';

/** What the server accepts as `X-User-Hash`; base58 IDs are 21 or 22 characters. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export type CredentialsResult =
  | { readonly ok: true; readonly session: Credentials }
  | { readonly ok: false; readonly field: 'id' | 'secret'; readonly message: string };

/**
 * Checks the two fields before anything is sent: an invalid Secret is reported without a request.
 */
export function readCredentials(idText: string, secretText: string): CredentialsResult {
  const id = idText.trim();
  if (id === '')
    return { ok: false, field: 'id', message: 'Enter your Open2FA ID, or paste your UUID into that field.' };
  if (!ID_PATTERN.test(id)) {
    return { ok: false, field: 'id', message: 'The Open2FA ID is not valid: it has only letters and digits.' };
  }
  if (secretText.trim() === '') return { ok: false, field: 'secret', message: 'Enter your Open2FA Secret.' };
  try {
    return { ok: true, session: { id, key: parseV1Secret(secretText) } };
  } catch {
    return {
      ok: false,
      field: 'secret',
      message:
        'The Open2FA Secret is not valid: it is the 21- or 22-character code that `open2fa info` shows (letters and digits, no 0, O, I or l).',
    };
  }
}

export interface DerivedFields {
  readonly id: string;
  readonly secret: string;
}

/** When `text` is a UUID (as in `open2fa.uuid`), the ID and Secret it derives; otherwise `null`. */
export async function deriveFromUuid(text: string): Promise<DerivedFields | null> {
  if (!isUuid(text)) return null;
  const { id, secret } = await deriveV1Credentials(text);
  return { id, secret };
}
