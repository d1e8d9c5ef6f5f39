import fc from 'fast-check';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { isV1DeleteResponse, isV1ListResponse, isV1PushResponse, isV1StoredTotp } from '../../src/core/v1/guards.js';
import { V1DeleteResponse, V1ListResponse, V1PushResponse, V1StoredTotp } from '../../src/core/v1/wire.js';
import { isV2ChangesResponse, isV2Item, isV2WriteResponse } from '../../src/core/v2/guards.js';
import { V2ChangesResponse, V2Item, V2WriteResponse } from '../../src/core/v2/wire.js';

/**
 * The clients check server answers with small guards (no TypeBox at CLI start); the server and the
 * OpenAPI document use the TypeBox schemas. Both must say the same: for values near the valid shape
 * (each field valid, or one of many wrong kinds), a guard and `Value.Check` of its schema agree.
 */

const RUNS = { numRuns: 2000 };

/** A JSON-ish value of a wrong kind for most fields. */
const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constant([]),
  fc.constant({}),
);

const count = fc.oneof(
  fc.nat(),
  fc.constant(0),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant(Number.MAX_SAFE_INTEGER + 1),
  fc.constant(2 ** 60),
  fc.constant(-1),
  fc.constant(1.5),
);
const itemId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
  fc.string({ maxLength: 70 }),
  fc.constant('\u001b]0;owned\u0007item-id-padding'),
  fc.constant('a'.repeat(65)),
);
const envelope = fc.oneof(
  fc.stringMatching(/^o2fa2\.[A-Za-z0-9_-]{1,40}$/),
  fc.constant(`o2fa2.${'A'.repeat(8186)}`),
  fc.constant(`o2fa2.${'A'.repeat(8187)}`),
  fc.constant('o2fa2.'),
  fc.constant('o2fa1.AAAA'),
  fc.string(),
);
const maybe = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: junk });

const v2Item = fc.record(
  {
    id: maybe(itemId),
    rev: maybe(count),
    seq: maybe(count),
    deleted: maybe(fc.boolean()),
    envelope: fc.oneof(envelope, fc.constant(null), junk),
  },
  { requiredKeys: [] },
);
const v1Totp = fc.record(
  { enc_secret: maybe(fc.string()), name: fc.oneof(fc.string(), fc.constant(null), junk) },
  { requiredKeys: [] },
);

function agree(guard: (value: unknown) => boolean, schema: TSchema, arbitrary: fc.Arbitrary<unknown>): void {
  fc.assert(
    fc.property(arbitrary, (value) => {
      expect(guard(value)).toBe(Value.Check(schema, value));
    }),
    RUNS,
  );
}

describe('the wire guards agree with the TypeBox schemas', () => {
  it('v1 stored entry, list, push and delete answers', () => {
    agree(isV1StoredTotp, V1StoredTotp, fc.oneof(v1Totp, junk));
    agree(
      isV1ListResponse,
      V1ListResponse,
      fc.oneof(fc.record({ totps: maybe(fc.array(v1Totp, { maxLength: 3 })) }), junk),
    );
    agree(
      isV1PushResponse,
      V1PushResponse,
      fc.record(
        { user_created: maybe(fc.boolean()), totps: maybe(fc.array(v1Totp, { maxLength: 3 })) },
        { requiredKeys: [] },
      ),
    );
    agree(isV1DeleteResponse, V1DeleteResponse, fc.oneof(fc.record({ deleted: maybe(count) }), junk));
  });

  it('v2 items, listings and write answers', () => {
    agree(isV2Item, V2Item, fc.oneof(v2Item, junk));
    agree(
      isV2ChangesResponse,
      V2ChangesResponse,
      fc.record(
        { items: maybe(fc.array(v2Item, { maxLength: 3 })), seq: maybe(count), more: maybe(fc.boolean()) },
        { requiredKeys: [] },
      ),
    );
    agree(
      isV2WriteResponse,
      V2WriteResponse,
      fc.record({ item: maybe(v2Item), seq: maybe(count) }, { requiredKeys: [] }),
    );
  });

  it('refuses the hostile shapes by name: escapes in an id, a live item without an envelope', () => {
    const good = { id: 'AAAAAAAAAAAAAAAAAAAAAA', rev: 1, seq: 1, deleted: false, envelope: 'o2fa2.AAAA' };
    expect(isV2Item(good)).toBe(true);
    expect(isV2Item({ ...good, id: '\u001b[2J\u001b[Hfake prompt' })).toBe(false);
    expect(isV2Item({ ...good, envelope: null })).toBe(false);
    expect(isV2Item({ ...good, deleted: true, envelope: null })).toBe(true);
    expect(isV2Item({ ...good, rev: 0 })).toBe(false);
  });
});
