import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { otpauthFormat } from '../../../src/core/formats/otpauth-lines-format.js';
import { formatOtpauthUri, parseOtpauthUri } from '../../../src/core/formats/otpauth-uri.js';
import { SECRET_A, SECRET_B } from './format-fixtures.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';

describe('otpauth:// query strings (application/x-www-form-urlencoded)', () => {
  it.each([
    ['a plus is a space', 'issuer=Air+Canada', 'Air Canada'],
    ['%20 is a space', 'issuer=Air%20Canada', 'Air Canada'],
    ['%2B is a plus sign', 'issuer=C%2B%2B+Club', 'C++ Club'],
    ['a plus in the name of a parameter', 'iss+uer=x&issuer=A+B', 'A B'],
  ])('%s', (_why, query, issuer) => {
    const parsed = parseOtpauthUri(`otpauth://totp/alice?secret=${SECRET_A}&${query}`);
    expect(parsed).toEqual({ ok: true, entry: makeEntry(SECRET_A, `${issuer}:alice`, { issuer, account: 'alice' }) });
  });

  it('keeps a plus in the label path, where it is no space', () => {
    const parsed = parseOtpauthUri(`otpauth://totp/A+B:alice+tag@example.com?secret=${SECRET_A}`);
    expect(parsed.ok && parsed.entry).toMatchObject({ issuer: 'A+B', account: 'alice+tag@example.com' });
  });

  it('writes a plus as %2B, so that our URIs read back the same', () => {
    const entry = makeEntry(SECRET_A, 'C++ Club:a+b', { issuer: 'C++ Club', account: 'a+b', note: '1+1' });
    const uri = formatOtpauthUri(entry);
    expect(uri).not.toMatch(/\+/);
    expect(parseOtpauthUri(uri)).toEqual({ ok: true, entry });
  });
});

describe('otpauth lines through the registry', () => {
  it('is detected and reads every parameter, the report naming each line', async () => {
    const text = [
      '# my codes',
      `otpauth://totp/Air+Canada:alice?secret=${SECRET_A}&issuer=Air+Canada`,
      `otpauth://hotp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA512&digits=8&counter=12`,
      'not a uri',
    ].join('\n');
    const items = itemsOf(await importFile(otpauthFormat, text), 'otpauth');
    expect(okEntries(items.slice(0, 2))).toEqual([
      makeEntry(SECRET_A, 'Air Canada:alice', { issuer: 'Air Canada', account: 'alice' }),
      makeEntry(SECRET_B, 'Bank:bob', {
        issuer: 'Bank',
        account: 'bob',
        type: 'hotp',
        algorithm: 'SHA512',
        digits: 8,
        counter: 12,
      }),
    ]);
    expect(problems(items)).toEqual([['line 4', 'not an otpauth://TYPE/LABEL?secret=… URI']]);
  });
});
