import { isRecord } from '../is-record.js';
import { isCount } from '../v1/guards.js';
import { V2_ENVELOPE_PATTERN, V2_ITEM_ID_PATTERN, V2_LIMITS } from './limits.js';
import type { V2ChangesResponse, V2Item, V2WriteResponse } from './wire.js';

/**
 * Runtime checks of the v2 answers, beside their TypeBox schemas in wire.ts: the same rules, without
 * loading TypeBox. test/core/wire-guards.test.ts property-tests that each guard agrees with its schema.
 * An id or envelope outside its pattern is refused here, so a hostile server cannot put terminal
 * escapes or markup into what clients show as an item id.
 */

const ITEM_ID = new RegExp(V2_ITEM_ID_PATTERN);
const ENVELOPE = new RegExp(V2_ENVELOPE_PATTERN);

export function isV2Envelope(value: unknown): value is string {
  return typeof value === 'string' && value.length <= V2_LIMITS.envelopeMaxLength && ENVELOPE.test(value);
}

export function isV2Item(value: unknown): value is V2Item {
  if (!isRecord(value)) return false;
  const { id, rev, seq, deleted, envelope } = value;
  if (typeof id !== 'string' || !ITEM_ID.test(id) || !isRevision(rev) || !isRevision(seq)) return false;
  if (deleted === false) return isV2Envelope(envelope);
  return deleted === true && (envelope === null || isV2Envelope(envelope));
}

export function isV2ChangesResponse(value: unknown): value is V2ChangesResponse {
  return (
    isRecord(value) &&
    Array.isArray(value.items) &&
    value.items.every(isV2Item) &&
    isCount(value.seq) &&
    typeof value.more === 'boolean'
  );
}

export function isV2WriteResponse(value: unknown): value is V2WriteResponse {
  return isRecord(value) && isV2Item(value.item) && isRevision(value.seq);
}

/** Revisions and sequence numbers on items start at 1. */
function isRevision(value: unknown): value is number {
  return isCount(value) && value >= 1;
}
