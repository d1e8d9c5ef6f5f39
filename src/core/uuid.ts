import { Open2faError } from './errors.js';
import { decodeHex, encodeHex } from './encoding.js';

const UUID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * Parses a UUID the way Python's `uuid.UUID(text)` does (the open2fa 1.x client stores it so):
 * hyphens, braces, a `urn:uuid:` prefix and surrounding white space are optional, case is ignored.
 * Returns its 16 raw bytes, big-endian as in RFC 9562 §4.
 */
export function parseUuid(text: string): Uint8Array<ArrayBuffer> {
  const hex = text
    .trim()
    .toLowerCase()
    .replace(/^urn:uuid:/, '')
    .replace(/^\{(.*)\}$/, '$1')
    .replaceAll('-', '');
  if (!UUID_PATTERN.test(hex)) {
    throw new Open2faError('invalid_uuid', 'not a UUID: expected 32 hexadecimal digits');
  }
  return decodeHex(hex);
}

/** `true` when `text` is something `parseUuid` accepts. */
export function isUuid(text: string): boolean {
  try {
    parseUuid(text);
    return true;
  } catch {
    return false;
  }
}

/** The canonical lower-case, hyphenated form. */
export function formatUuid(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError('a UUID has 16 bytes');
  const hex = encodeHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A random (version 4) UUID from the given random source.
 *
 * @see RFC 9562 §5.4
 */
export function randomUuid(random: (bytes: Uint8Array<ArrayBuffer>) => void = fillRandom): string {
  const bytes = new Uint8Array(16);
  random(bytes);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return formatUuid(bytes);
}

function fillRandom(bytes: Uint8Array<ArrayBuffer>): void {
  globalThis.crypto.getRandomValues(bytes);
}
