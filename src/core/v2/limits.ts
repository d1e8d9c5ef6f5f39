/** The v2 wire's limits and patterns as plain data: the guards and the CLI use them without TypeBox. */
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

/** Protocol v2 revision 2 (docs/protocol.md): token-keyed accounts, sealed tombstones, account deletion. */
export const V2_REVISION = 2;
