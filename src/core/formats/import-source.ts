import type { ImportSource } from './format-spec.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The `ImportSource` of a file's bytes: its text when the bytes are UTF-8 (without a byte-order
 * mark), `null` for binary files.
 */
export function importSource(bytes: Uint8Array, fileName = ''): ImportSource {
  let text: string | null;
  try {
    text = strictUtf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    text = null;
  }
  return { bytes, text, fileName };
}

/** The source of a text, for pasted imports and tests. */
export function textSource(text: string, fileName = ''): ImportSource {
  return { bytes: new TextEncoder().encode(text), text: text.replace(/^\uFEFF/, ''), fileName };
}

const parsedJson = new WeakMap<ImportSource, { readonly value: unknown }>();

/**
 * The parsed JSON of a text source, or `undefined` when it is not JSON. Parsed once per source:
 * every JSON format's `detect` asks for it.
 */
export function jsonOf(source: ImportSource): unknown {
  const known = parsedJson.get(source);
  if (known !== undefined) return known.value;
  let value: unknown = undefined;
  const text = source.text?.trim() ?? '';
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
  }
  parsedJson.set(source, { value });
  return value;
}
