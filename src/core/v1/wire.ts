import { Type, type Static } from 'typebox';
import { V1_LIMITS, V1_USER_HASH_HEADER } from './limits.js';

export { V1_LIMITS, V1_USER_HASH_HEADER, V1_USER_HASH_PATTERN } from './limits.js';

/**
 * The legacy v1 wire format, exactly as the open2fa 1.x Python client and server speak it. Defined once
 * and imported by the server (validation and serialization), the CLI's remote client and the web UI.
 */

/**
 * Text that stores and reads back unchanged on every database: no NUL (PostgreSQL cannot store it) and
 * no lone UTF-16 surrogate (it has no UTF-8 form: SQLite and PostgreSQL store U+FFFD instead, so it would
 * not round-trip, and two different ones would collide into one entry). Surrogate pairs (emoji) are fine.
 * The pattern means the same with and without the regular expression's `u` flag (Fastify's ajv uses it).
 */
export const V1_TEXT_PATTERN = '^(?:[^\\u0000\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$';

/** An entry's ciphertext as sent: 1 to 4096 characters of well-formed text. */
export const V1EncSecret = Type.String({
  minLength: 1,
  maxLength: V1_LIMITS.encSecretMaxLength,
  pattern: V1_TEXT_PATTERN,
  description: 'The encrypted secret (a Fernet token from 1.x clients); entries are keyed by it',
});

export const V1Totp = Type.Object({
  enc_secret: V1EncSecret,
  name: Type.Optional(
    Type.Union([Type.String({ maxLength: V1_LIMITS.nameMaxLength, pattern: V1_TEXT_PATTERN }), Type.Null()]),
  ),
});
export type V1Totp = Static<typeof V1Totp>;

/** What the server answers for an entry: `name` is always present, `null` when unnamed. */
export const V1StoredTotp = Type.Object({
  enc_secret: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
});
export type V1StoredTotp = Static<typeof V1StoredTotp>;

export const V1TotpsBody = Type.Object({
  totps: Type.Array(V1Totp, { maxItems: V1_LIMITS.maxEntries }),
});
export type V1TotpsBody = Static<typeof V1TotpsBody>;

export const V1UserHashHeaders = Type.Object({
  [V1_USER_HASH_HEADER]: Type.Optional(Type.String()),
});

export const V1StatusResponse = Type.Object({ status: Type.Literal('ok') });
export const V1ListResponse = Type.Object({ totps: Type.Array(V1StoredTotp) });
export type V1ListResponse = Static<typeof V1ListResponse>;
export const V1PushResponse = Type.Object({ user_created: Type.Boolean(), totps: Type.Array(V1StoredTotp) });
export type V1PushResponse = Static<typeof V1PushResponse>;
export const V1DeleteResponse = Type.Object({
  deleted: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
});
export type V1DeleteResponse = Static<typeof V1DeleteResponse>;

/** The path of the legacy one-entry routes (`/totps/{enc_secret}`, `/totp/{enc_secret}`). */
export const V1EncSecretParams = Type.Object({ enc_secret: V1EncSecret });
/** What the legacy `DELETE /totp/{enc_secret}` answered (1.x's `TOTPDeleteOut`). */
export const V1LegacyDeleteResponse = Type.Object({ success: Type.Literal(true) });
export type V1LegacyDeleteResponse = Static<typeof V1LegacyDeleteResponse>;

/** Every error answer of every endpoint. */
export const ErrorResponse = Type.Object({ detail: Type.String() });
export type ErrorResponse = Static<typeof ErrorResponse>;
