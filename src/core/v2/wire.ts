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

/** A page size, 1 to `pageMax` (1000), in decimal without leading zeros. */
export const V2_PAGE_LIMIT_PATTERN = '^(?:[1-9][0-9]{0,2}|1000)$';

export const V2ChangesQuery = Type.Object({
  since: Type.Optional(Type.String({ pattern: '^\\d{1,15}$', description: 'sequence number; changes after it' })),
  limit: Type.Optional(
    Type.String({
      pattern: V2_PAGE_LIMIT_PATTERN,
      description: `page size, 1 to ${String(V2_LIMITS.pageMax)} (default ${String(V2_LIMITS.pageDefault)})`,
    }),
  ),
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

/** `If-Match` as the server reads it: a revision number, quotes and a weak `W/` optional. */
export const V2_IF_MATCH_PATTERN = '^(?:W/)?"?\\d{1,9}"?$';

/**
 * The headers of a read. The bearer token is named by the `bearerAuth` security scheme of the OpenAPI
 * document (which ignores Authorization parameters); the service answers 401 when it is missing.
 * `X-User-Hash` is ignored since revision 2 (the token is the account) and checked as v1 when sent.
 */
export const V2Headers = Type.Object({
  'x-user-hash': Type.Optional(
    Type.String({ pattern: V1_USER_HASH_PATTERN, description: 'ignored since revision 2; checked as v1 when sent' }),
  ),
  authorization: Type.Optional(Type.String({ description: 'Bearer <auth token>; required' })),
});

/** The headers of a write: a read's, and the base revision (a missing If-Match is answered 428). */
export const V2WriteHeaders = Type.Object({
  ...V2Headers.properties,
  'if-match': Type.String({
    pattern: V2_IF_MATCH_PATTERN,
    description: 'The base revision, e.g. "3" ("0" to create)',
  }),
});
