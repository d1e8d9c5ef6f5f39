import { isRecord } from '../is-record.js';
import type { V1DeleteResponse, V1ListResponse, V1PushResponse, V1StoredTotp } from './wire.js';

/**
 * Runtime checks of the v1 answers, beside their TypeBox schemas in wire.ts: the same rules, without
 * loading TypeBox (its schemas take ~200 ms to load, more than the whole CLI may spend on a command).
 * test/core/wire-guards.test.ts property-tests that each guard agrees with its schema.
 */

export function isV1StoredTotp(value: unknown): value is V1StoredTotp {
  return (
    isRecord(value) && typeof value.enc_secret === 'string' && (value.name === null || typeof value.name === 'string')
  );
}

export function isV1ListResponse(value: unknown): value is V1ListResponse {
  return isRecord(value) && Array.isArray(value.totps) && value.totps.every(isV1StoredTotp);
}

export function isV1PushResponse(value: unknown): value is V1PushResponse {
  return isV1ListResponse(value) && typeof (value as Record<string, unknown>).user_created === 'boolean';
}

export function isV1DeleteResponse(value: unknown): value is V1DeleteResponse {
  return isRecord(value) && isCount(value.deleted);
}

/** A JSON integer from 0 to 2^53 − 1 (`COUNT` in wire.ts): JavaScript holds it exactly. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
