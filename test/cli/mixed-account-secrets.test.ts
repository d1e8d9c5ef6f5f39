import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readableBy1x, storedSecretForm } from '../../src/cli/vault/secret-rules.js';
import { decodeBase32, encodeBase32 } from '../../src/core/encoding.js';
import { pythonB32decode } from '../helpers/open2fa-1x.js';

// secrets.json holds secrets open2fa 1.x decodes (its base64.b32decode, reproduced in the helper).

describe('storedSecretForm', () => {
  it.each([
    ['jbsw y3dp ehpk 3pxp', 'JBSWY3DPEHPK3PXP'],
    ['JBSW-Y3DP-EHPK-3PXP', 'JBSWY3DPEHPK3PXP'],
    ['GEZDGNBVGY3TQOJQGEZDGNBVGY', 'GEZDGNBVGY3TQOJQGEZDGNBVGY======'],
    ['gezdgnbvgy3tqojqgezdgnbvgy', 'GEZDGNBVGY3TQOJQGEZDGNBVGY======'],
    // Already readable by 1.x: unchanged, so its v1 ciphertext stays the one 1.x pushed.
    ['nbswy3dpo5xxe3de', 'nbswy3dpo5xxe3de'],
    ['GEZDGNBVGY3TQOJQGEZDGNBVGY======', 'GEZDGNBVGY3TQOJQGEZDGNBVGY======'],
    // Not base32: left for the caller's check to reject.
    ['not base32!', 'not base32!'],
  ])('%j is stored as %j', (typed, stored) => {
    expect(storedSecretForm(typed)).toBe(stored);
  });

  it('always gives text 1.x decodes to the same key (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 5, maxLength: 64 }), fc.boolean(), fc.nat(7), (bytes, lower, spaceAt) => {
        const canonical = encodeBase32(bytes);
        let typed = lower ? canonical.toLowerCase() : canonical;
        if (spaceAt > 0 && typed.length > spaceAt) typed = `${typed.slice(0, spaceAt)} ${typed.slice(spaceAt)}`;
        const stored = storedSecretForm(typed);
        expect(readableBy1x(stored)).toBe(true);
        expect(pythonB32decode(stored)).toEqual(decodeBase32(canonical));
      }),
    );
  });
});
