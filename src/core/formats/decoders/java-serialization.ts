/**
 * A reader for the subset of the Java Object Serialization Stream Protocol that a serialised
 * `HashMap<String, String>` uses (FreeOTP's v2 backup): the stream header, `TC_OBJECT` with its
 * class descriptors, primitive field values, the class's `writeObject` annotation (block data, then
 * objects), `TC_STRING`/`TC_LONGSTRING` in modified UTF-8, `TC_REFERENCE` back to an earlier string
 * and `TC_NULL`. Anything else (arrays, enums, proxies, nested objects) is refused, not guessed at.
 *
 * @see https://docs.oracle.com/javase/8/docs/platform/serialization/spec/protocol.html
 */

export const JAVA_STREAM_MAGIC = 0xaced;
const STREAM_VERSION = 5;
const BASE_WIRE_HANDLE = 0x7e0000;
const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_STRING = 0x74;
const TC_BLOCKDATA = 0x77;
const TC_ENDBLOCKDATA = 0x78;
const TC_BLOCKDATALONG = 0x7a;
const TC_LONGSTRING = 0x7c;
const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;
const HASH_MAP = 'java.util.HashMap';
/** Bytes of each primitive field type code. */
const PRIMITIVE_SIZES: Readonly<Record<string, number>> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };

/** Whether the bytes start with the serialisation stream header. */
export function isJavaStream(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0xac && bytes[1] === 0xed && bytes[2] === 0x00 && bytes[3] === STREAM_VERSION
  );
}

/**
 * The pairs of a serialised `java.util.HashMap` whose keys and values are strings (or null), in
 * stream order, or `null` when the bytes are not one or are damaged.
 */
export function readJavaStringMap(bytes: Uint8Array): [string, string | null][] | null {
  try {
    const reader = new StreamReader(bytes);
    if (reader.u16() !== JAVA_STREAM_MAGIC || reader.u16() !== STREAM_VERSION) return null;
    const map = reader.content();
    if (!(map instanceof JavaObject) || map.className !== HASH_MAP) return null;
    return hashMapPairs(map);
  } catch (error) {
    if (error instanceof StreamProblem) return null;
    throw error;
  }
}

/** HashMap.writeObject writes the bucket count and the size as block data, then key, value, key, value… */
function hashMapPairs(map: JavaObject): [string, string | null][] {
  const [block, ...objects] = map.annotation;
  if (!(block instanceof Uint8Array) || block.length !== 8) throw new StreamProblem('no HashMap size');
  const size = new DataView(block.buffer, block.byteOffset, 8).getInt32(4);
  if (size < 0 || objects.length !== size * 2) throw new StreamProblem('the HashMap size does not match');
  const pairs: [string, string | null][] = [];
  for (let index = 0; index < objects.length; index += 2) {
    const key = objects[index];
    const value = objects[index + 1];
    if (typeof key !== 'string' || (typeof value !== 'string' && value !== null)) {
      throw new StreamProblem('a HashMap key or value is not a string');
    }
    pairs.push([key, value]);
  }
  return pairs;
}

class StreamProblem extends Error {}

type Value = string | null | JavaObject | ClassDesc;

interface ClassDesc {
  readonly kind: 'class';
  readonly name: string;
  readonly flags: number;
  readonly fields: readonly { readonly type: string; readonly name: string }[];
  readonly superClass: ClassDesc | null;
}

class JavaObject {
  constructor(
    readonly className: string,
    /** What the class's `writeObject` wrote after its fields: block data and objects, in order. */
    readonly annotation: readonly (Uint8Array | Value)[],
  ) {}
}

class StreamReader {
  private offset = 0;
  private readonly handles: Value[] = [];
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }

  u16(): number {
    this.need(2);
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }

  i32(): number {
    this.need(4);
    const value = this.view.getInt32(this.offset);
    this.offset += 4;
    return value;
  }

  take(length: number): Uint8Array {
    this.need(length);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** One content element: an object, or block data. */
  content(): Value | Uint8Array {
    const tag = this.u8();
    switch (tag) {
      case TC_BLOCKDATA:
        return this.take(this.u8());
      case TC_BLOCKDATALONG:
        return this.take(this.i32());
      default:
        return this.object(tag);
    }
  }

  private object(tag: number): Value {
    switch (tag) {
      case TC_NULL:
        return null;
      case TC_STRING:
        return this.newHandle(modifiedUtf8(this.take(this.u16())));
      case TC_LONGSTRING: {
        if (this.i32() !== 0) throw new StreamProblem('a string longer than 2 GiB');
        return this.newHandle(modifiedUtf8(this.take(this.i32())));
      }
      case TC_REFERENCE: {
        const value = this.handles[this.i32() - BASE_WIRE_HANDLE];
        if (value === undefined) throw new StreamProblem('a reference to no object');
        return value;
      }
      case TC_CLASSDESC:
        return this.classDesc();
      case TC_OBJECT:
        return this.newObject();
      default:
        throw new StreamProblem(`unsupported stream element 0x${tag.toString(16)}`);
    }
  }

  /** classDesc: TC_CLASSDESC className serialVersionUID newHandle flags fields annotation superClassDesc */
  private classDesc(): ClassDesc {
    const name = modifiedUtf8(this.take(this.u16()));
    this.take(8);
    const handle = this.handles.push(null) - 1;
    const flags = this.u8();
    const fields: { type: string; name: string }[] = [];
    for (let count = this.u16(); count > 0; count--) {
      const type = String.fromCharCode(this.u8());
      const fieldName = modifiedUtf8(this.take(this.u16()));
      if (PRIMITIVE_SIZES[type] === undefined) throw new StreamProblem(`unsupported field type ${type}`);
      fields.push({ type, name: fieldName });
    }
    if (this.annotation().length > 0) throw new StreamProblem('a class annotation');
    const superClass = this.object(this.u8());
    if (superClass !== null && !isClassDesc(superClass)) throw new StreamProblem('a superclass that is not a class');
    const desc: ClassDesc = { kind: 'class', name, flags, fields, superClass };
    this.handles[handle] = desc;
    return desc;
  }

  /** newObject: TC_OBJECT classDesc newHandle classdata[] (the classes from the top superclass down) */
  private newObject(): JavaObject {
    const desc = this.object(this.u8());
    if (desc === null || !isClassDesc(desc)) throw new StreamProblem('an object without a class');
    const handle = this.handles.push(null) - 1;
    const chain: ClassDesc[] = [];
    for (let current: ClassDesc | null = desc; current !== null; current = current.superClass) chain.unshift(current);
    let annotation: (Uint8Array | Value)[] = [];
    for (const current of chain) {
      if ((current.flags & SC_SERIALIZABLE) === 0) throw new StreamProblem('an object that is not Serializable');
      for (const field of current.fields) this.take(PRIMITIVE_SIZES[field.type] ?? 0);
      if ((current.flags & SC_WRITE_METHOD) !== 0) annotation = this.annotation();
    }
    const object = new JavaObject(desc.name, annotation);
    this.handles[handle] = object;
    return object;
  }

  private annotation(): (Uint8Array | Value)[] {
    const elements: (Uint8Array | Value)[] = [];
    for (;;) {
      this.need(1);
      if (this.bytes[this.offset] === TC_ENDBLOCKDATA) {
        this.offset++;
        return elements;
      }
      elements.push(this.content());
    }
  }

  private newHandle(value: string): string {
    this.handles.push(value);
    return value;
  }

  private need(length: number): void {
    if (length < 0 || this.offset + length > this.bytes.length) throw new StreamProblem('the stream ends early');
  }
}

function isClassDesc(value: Value): value is ClassDesc {
  return typeof value === 'object' && value !== null && !(value instanceof JavaObject);
}

/**
 * Java's modified UTF-8 (DataInput §"Modified UTF-8"): U+0000 as two bytes and characters beyond the
 * BMP as two three-byte surrogates, so it is decoded unit by unit, not with TextDecoder.
 */
function modifiedUtf8(bytes: Uint8Array): string {
  const units: number[] = [];
  for (let index = 0; index < bytes.length;) {
    const first = bytes[index] ?? 0;
    if (first < 0x80) {
      units.push(first);
      index += 1;
    } else if ((first & 0xe0) === 0xc0) {
      units.push(((first & 0x1f) << 6) | continuation(bytes, index + 1));
      index += 2;
    } else if ((first & 0xf0) === 0xe0) {
      units.push(((first & 0x0f) << 12) | (continuation(bytes, index + 1) << 6) | continuation(bytes, index + 2));
      index += 3;
    } else {
      throw new StreamProblem('invalid modified UTF-8');
    }
  }
  let text = '';
  for (let start = 0; start < units.length; start += 4096) {
    text += String.fromCharCode(...units.slice(start, start + 4096));
  }
  return text;
}

function continuation(bytes: Uint8Array, index: number): number {
  const byte = bytes[index];
  if (byte === undefined || (byte & 0xc0) !== 0x80) throw new StreamProblem('invalid modified UTF-8');
  return byte & 0x3f;
}
