import { Type, type Static } from 'typebox';
import { V1_USER_HASH_PATTERN } from '../v1/limits.js';
import { V2_ENVELOPE_PATTERN, V2_ITEM_ID_PATTERN, V2_LIMITS } from './limits.js';

export { V2_ENVELOPE_PATTERN, V2_ITEM_ID_PATTERN, V2_LIMITS, V2_REVISION } from './limits.js';

/** The v2 wire format (docs/protocol.md §3), shared by the server, the CLI and the web UI. */

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const ItemId = Type.String({ pattern: V2_ITEM_ID_PATTERN });
const Envelope = Type.String({ maxLength: V2_LIMITS.envelopeMaxLength, pattern: V2_ENVELOPE_PATTERN });
const Revision = Type.Integer({ minimum: 1, maximum: MAX_SAFE });

/** A live item: its envelope is always there. */
export const V2LiveItem = Type.Object({
  id: ItemId,
  rev: Revision,
  seq: Revision,
  deleted: Type.Literal(false),
  envelope: Envelope,
});

/** A tombstone: sealed by the deleting client (revision 2), or `null` when written before revision 2. */
export const V2Tombstone = Type.Object({
  id: ItemId,
  rev: Revision,
  seq: Revision,
  deleted: Type.Literal(true),
  envelope: Type.Union([Envelope, Type.Null()]),
});

/** An item on the wire (docs/protocol.md §3). The guards in guards.ts check the same rules. */
export const V2Item = Type.Union([V2LiveItem, V2Tombstone]);
export type V2Item = Static<typeof V2Item>;

export const V2ChangesQuery = Type.Object({
  since: Type.Optional(Type.String({ pattern: '^\\d{1,15}$', description: 'sequence number; changes after it' })),
  limit: Type.Optional(Type.String({ pattern: '^\\d{1,4}$', description: `1 to ${String(V2_LIMITS.pageMax)}` })),
});

export const V2ChangesResponse = Type.Object({
  items: Type.Array(V2Item),
  seq: Type.Integer({ minimum: 0, maximum: MAX_SAFE }),
  more: Type.Boolean(),
});
export type V2ChangesResponse = Static<typeof V2ChangesResponse>;

export const V2ItemParams = Type.Object({ id: Type.String({ pattern: V2_ITEM_ID_PATTERN }) });

export const V2PutBody = Type.Object({
  envelope: Type.String({ maxLength: V2_LIMITS.envelopeMaxLength, pattern: V2_ENVELOPE_PATTERN }),
});
export type V2PutBody = Static<typeof V2PutBody>;

/** `DELETE /api/v2/items/{id}` (revision 2): the sealed deletion the tombstone keeps. */
export const V2DeleteBody = Type.Object({ envelope: Envelope });
export type V2DeleteBody = Static<typeof V2DeleteBody>;

/** `DELETE /api/v2/account`: no body, or `{}`. */
export const V2AccountDeleteBody = Type.Object({}, { additionalProperties: false });

/** `DELETE /api/v2/account`: how many live items were erased. */
export const V2AccountDeleteResponse = Type.Object({ deleted: Type.Integer({ minimum: 0, maximum: MAX_SAFE }) });
export type V2AccountDeleteResponse = Static<typeof V2AccountDeleteResponse>;

export const V2WriteResponse = Type.Object({ item: V2Item, seq: Revision });
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
