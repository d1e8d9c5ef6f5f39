import { Type, type Static } from 'typebox';

/** The v2 wire format (docs/protocol.md §3), shared by the server, the CLI and the web UI. */
export const V2_LIMITS = {
  envelopeMaxLength: 8192,
  /** Live (not deleted) items per user. */
  maxItems: 1000,
  pageDefault: 500,
  pageMax: 1000,
} as const;

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
  seq: Type.Integer({ minimum: 0 }),
  more: Type.Boolean(),
});
export type V2ChangesResponse = Static<typeof V2ChangesResponse>;

export const V2ItemParams = Type.Object({ id: Type.String({ pattern: V2_ITEM_ID_PATTERN }) });

export const V2PutBody = Type.Object({
  envelope: Type.String({ maxLength: V2_LIMITS.envelopeMaxLength, pattern: V2_ENVELOPE_PATTERN }),
});
export type V2PutBody = Static<typeof V2PutBody>;

export const V2WriteResponse = Type.Object({ item: V2Item, seq: Type.Integer({ minimum: 1 }) });
export type V2WriteResponse = Static<typeof V2WriteResponse>;

/** 409: a stale revision (with the current item) or a full quota (without). */
export const V2ConflictResponse = Type.Object({ detail: Type.String(), item: Type.Optional(V2Item) });
export type V2ConflictResponse = Static<typeof V2ConflictResponse>;

/** `If-Match` as the server reads it: a revision number, quotes and a weak `W/` optional. */
export const V2_IF_MATCH_PATTERN = '^(?:W/)?"?\\d{1,9}"?$';

/**
 * The headers of a read. The bearer token is named by the `bearerAuth` security scheme of the OpenAPI
 * document (which ignores Authorization parameters); the service answers 401 when it is missing.
 */
export const V2Headers = Type.Object({
  'x-user-hash': Type.String({ description: 'The Open2FA ID' }),
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
