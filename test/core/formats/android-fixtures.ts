// Writers for the containers Android apps keep their tokens in, written from the public format
// descriptions (Android's SharedPreferences XML as XmlUtils writes it; the Java Object Serialization
// Stream Protocol, https://docs.oracle.com/javase/8/docs/platform/serialization/spec/protocol.html),
// so that the tests build every fixture themselves.

import { base32nopad } from '@scure/base';
import type { ImportSource } from '../../../src/core/formats/format-spec.js';

/** A source as the CLI builds it from a file. */
export function sourceOf(content: string | Uint8Array, fileName = 'export'): ImportSource {
  if (typeof content === 'string') return { bytes: new TextEncoder().encode(content), text: content, fileName };
  let text: string | null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    text = null;
  }
  return { bytes: content, text, fileName };
}

export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A shared_prefs file: `<map>` of `<string name="…">`, with an int and a set beside, as apps have. */
export function sharedPrefsXml(strings: readonly (readonly [string, string])[]): string {
  const lines = strings.map(([name, value]) => `    <string name="${xmlEscape(name)}">${xmlEscape(value)}</string>`);
  return [
    "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>",
    '<map>',
    '    <int name="launchCount" value="3" />',
    ...lines,
    '    <set name="recent">',
    '        <string>not a token</string>',
    '    </set>',
    '</map>',
    '',
  ].join('\n');
}

export function base32Of(secret: string): Uint8Array {
  return base32nopad.decode(secret);
}

/** A `byte[]` as Gson writes it: signed numbers. */
export function signedBytes(bytes: Uint8Array): number[] {
  return [...bytes].map((byte) => (byte > 127 ? byte - 256 : byte));
}

const HASH_MAP_UID = [0x05, 0x07, 0xda, 0xc1, 0xc3, 0x16, 0x60, 0xd1];

/**
 * A `java.util.HashMap<String, String>` as ObjectOutputStream writes it: the class descriptor
 * (flags SC_WRITE_METHOD | SC_SERIALIZABLE, fields loadFactor and threshold), the field values,
 * then writeObject's block data (capacity, size) and the keys and values. With `shareStrings`, a
 * string equal to an earlier one is written as a TC_REFERENCE, as Java does for the same instance.
 */
export function javaStringMap(pairs: readonly (readonly [string, string])[], shareStrings = false): Uint8Array {
  const out: number[] = [0xac, 0xed, 0x00, 0x05, 0x73, 0x72];
  const u16 = (value: number): void => void out.push(value >> 8, value & 0xff);
  const i32 = (value: number): void =>
    void out.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
  const utf = (text: string): void => {
    const bytes = modifiedUtf8(text);
    u16(bytes.length);
    out.push(...bytes);
  };
  utf('java.util.HashMap');
  out.push(...HASH_MAP_UID, 0x03);
  u16(2);
  out.push(0x46);
  utf('loadFactor');
  out.push(0x49);
  utf('threshold');
  out.push(0x78, 0x70);
  out.push(0x3f, 0x40, 0x00, 0x00); // 0.75f
  const capacity = 16;
  i32(12);
  out.push(0x77, 0x08);
  i32(capacity);
  i32(pairs.length);
  // Handles: 0x7e0000 the class descriptor, 0x7e0001 the map, then each new string.
  const handles = new Map<string, number>();
  let next = 0x7e0002;
  for (const text of pairs.flat()) {
    const handle = handles.get(text);
    if (shareStrings && handle !== undefined) {
      out.push(0x71);
      i32(handle);
      continue;
    }
    const bytes = modifiedUtf8(text);
    if (bytes.length > 0xffff) {
      out.push(0x7c);
      i32(0);
      i32(bytes.length);
      out.push(...bytes);
    } else {
      out.push(0x74);
      utf(text);
    }
    handles.set(text, next++);
  }
  out.push(0x78);
  return new Uint8Array(out);
}

function modifiedUtf8(text: string): number[] {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0x01 && unit <= 0x7f) bytes.push(unit);
    else if (unit <= 0x7ff) bytes.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
    else bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
  }
  return bytes;
}

export async function pbkdf2Bytes(
  password: string,
  salt: Uint8Array,
  iterations: number,
  hash: string,
  length: number,
): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  return new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', salt: new Uint8Array(salt), iterations, hash }, base, length * 8),
  );
}

export async function aesGcm(
  key: Uint8Array,
  nonce: Uint8Array,
  plain: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', new Uint8Array(key), 'AES-GCM', false, ['encrypt']);
  return new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: new Uint8Array(nonce), additionalData: new Uint8Array(aad) },
      cryptoKey,
      new Uint8Array(plain),
    ),
  );
}

export async function aesCbc(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', new Uint8Array(key), 'AES-CBC', false, ['encrypt']);
  return new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(iv) }, cryptoKey, new Uint8Array(plain)),
  );
}

/** Deterministic bytes for fixtures: 0, 1, 2… from a start value. */
export function counting(length: number, start = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (start + index * 7) & 0xff);
}
