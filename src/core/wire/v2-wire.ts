import { Type, type Static } from 'typebox';
import { V1_USER_HASH_PATTERN } from './v1-wire.js';

/** The v2 wire format (docs/protocol.md §3), shared by the server, the CLI and the web UI. */
export const V2_LIMITS = {
  envelopeMaxLength: 8192,
  /** Live (not deleted) items per user. */
  maxItems: 1000,
  pageDefault: 500,
  pageMax: 1000,
} as const;

/** Protocol v2 revision 2 (docs/protocol.md): token-keyed accounts, sealed tombstones, account deletion. */
export const V2_REVISION = 2;

/** 16 random bytes in base64url; a little leeway for other clients' ids. */
export const V2_ITEM_ID_PATTERN = '^[A-Za-z0-9_-]{16,64}$';
export const V2_ENVELOPE_PATTERN = '^o2fa2\\.[A-Za-z0-9_-]+$';

export const V2Item = Type.Object({
  id: Type.String(),
  rev: Type.Integer({ minimum: 1 }),
  seq: Type.Integer({ minimum: 1 }),
  deleted: Type.Boolean(),
  envelope: Type.Union([Type.String(), Type.Null()]),
});
export type V2Item = Static<typeof V2Item>;

export const V2ChangesQuery = Type.Object({
  since: Type.Optional(Type.String({ pattern: '^\\d{1,15}$', description: 'sequence number; changes after it' })),
  limit: Type.Optional(Type.String({ pattern: '^\\d{1,4}$', description: `1 to ${String(V2_LIMITS.pageMax)}` })),
});

export const V2ChangesResponse = Type.Object({
  items: Type.Array(V2Item),
  seq: Type.Integer({ minimum: 0 }),
  more: Type.Boolean(),
});
export type V2ChangesResponse = Static<typeof V2ChangesResponse>;

export const V2ItemParams = Type.Object({ id: Type.String({ pattern: V2_ITEM_ID_PATTERN }) });

export const V2PutBody = Type.Object({
  envelope: Type.String({ maxLength: V2_LIMITS.envelopeMaxLength, pattern: V2_ENVELOPE_PATTERN }),
});
export type V2PutBody = Static<typeof V2PutBody>;

/** `DELETE /api/v2/items/{id}` (revision 2): the sealed deletion the tombstone keeps. */
export const V2DeleteBody = Type.Object({
  envelope: Type.String({ maxLength: V2_LIMITS.envelopeMaxLength, pattern: V2_ENVELOPE_PATTERN }),
});
export type V2DeleteBody = Static<typeof V2DeleteBody>;

/** `DELETE /api/v2/account`: no body, or `{}`. */
export const V2AccountDeleteBody = Type.Object({}, { additionalProperties: false });

/** `DELETE /api/v2/account`: how many live items were erased. */
export const V2AccountDeleteResponse = Type.Object({ deleted: Type.Integer({ minimum: 0 }) });
export type V2AccountDeleteResponse = Static<typeof V2AccountDeleteResponse>;

export const V2WriteResponse = Type.Object({ item: V2Item, seq: Type.Integer({ minimum: 1 }) });
export type V2WriteResponse = Static<typeof V2WriteResponse>;

/** 409: a stale revision (with the current item) or a full quota (without). */
export const V2ConflictResponse = Type.Object({ detail: Type.String(), item: Type.Optional(V2Item) });
export type V2ConflictResponse = Static<typeof V2ConflictResponse>;

export const V2Headers = Type.Object({
  'x-user-hash': Type.Optional(
    Type.String({ pattern: V1_USER_HASH_PATTERN, description: 'ignored since revision 2; checked as v1 when sent' }),
  ),
  authorization: Type.Optional(Type.String({ description: 'Bearer <auth token>; required' })),
  'if-match': Type.Optional(Type.String({ description: 'the base revision, e.g. "3" ("0" to create)' })),
});
