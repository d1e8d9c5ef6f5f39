/** The v1 wire's limits and patterns as plain data: the guards and the CLI use them without TypeBox. */
export const V1_LIMITS = {
  /** Characters of `X-User-Hash`: base58 IDs are ~22; older clients sent 32 hex characters. */
  userHashMaxLength: 128,
  encSecretMaxLength: 4096,
  nameMaxLength: 255,
  /** Entries in one request, and stored per user. */
  maxEntries: 1000,
} as const;

export const V1_USER_HASH_HEADER = 'x-user-hash';
export const V1_USER_HASH_PATTERN = `^[A-Za-z0-9_-]{1,${String(V1_LIMITS.userHashMaxLength)}}$`;
