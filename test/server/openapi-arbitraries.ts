import fc from 'fast-check';

/**
 * fast-check arbitraries made from the JSON schemas of an OpenAPI 3.0 document: values a schema accepts
 * and values it refuses (schemathesis's positive and negative data). Only the keywords our document
 * uses are known; any other one throws, so a new keyword in the document makes the test say so instead
 * of generating values that ignore it.
 */
export interface JsonSchema {
  readonly type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  readonly description?: string;
  readonly nullable?: boolean;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly maxItems?: number;
  readonly anyOf?: readonly JsonSchema[];
}

const KNOWN_KEYWORDS = new Set([
  'type',
  'description',
  'nullable',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'properties',
  'required',
  'items',
  'maxItems',
  'anyOf',
  'additionalProperties',
]);

/** Strings stay short unless a schema's limit is the point (the limit itself is generated too). */
const SHORT = 24;
/** Arrays too: a body at the 1 MiB limit is a different test (v1-routes.test.ts). */
const FEW = 4;

function checkKeywords(schema: JsonSchema): void {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(keyword)) throw new Error(`schema keyword "${keyword}" is not generated yet`);
  }
}

/** The schema's pattern as the server's ajv compiles it (with the `u` flag). */
export function patternOf(schema: JsonSchema): RegExp | undefined {
  return schema.pattern === undefined ? undefined : new RegExp(schema.pattern, 'u');
}

function withinLength(schema: JsonSchema, text: string): boolean {
  return text.length >= (schema.minLength ?? 0) && text.length <= (schema.maxLength ?? Infinity);
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const pattern = patternOf(schema);
  const max = Math.min(schema.maxLength ?? SHORT, SHORT);
  const usual =
    pattern === undefined
      ? fc.string({ minLength: Math.min(schema.minLength ?? 0, max), maxLength: max, unit: 'binary' })
      : fc.stringMatching(pattern);
  // The limits themselves, when plain letters may fill them.
  const limits = [schema.minLength, schema.maxLength]
    .filter((length): length is number => length !== undefined && length > 0)
    .map((length) => 'a'.repeat(length))
    .filter((text) => pattern?.test(text) ?? true);
  const strings = limits.length === 0 ? usual : fc.oneof(usual, fc.constantFrom(...limits));
  return strings.filter((text) => withinLength(schema, text) && (pattern?.test(text) ?? true));
}

/** Values the schema accepts. */
export function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  checkKeywords(schema);
  const values =
    schema.anyOf !== undefined
      ? fc.oneof(...schema.anyOf.map(validValue))
      : schema.enum !== undefined
        ? fc.constantFrom(...schema.enum)
        : typedValue(schema);
  return schema.nullable === true ? fc.oneof(values, fc.constant(null)) : values;
}

function typedValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string':
      return validString(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      if (schema.items === undefined) throw new Error('an array schema without items');
      return fc.array(validValue(schema.items), { maxLength: Math.min(schema.maxItems ?? FEW, FEW) });
    case 'object':
      return fc.record(
        Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([key, property]) => [key, validValue(property)]),
        ),
        { requiredKeys: [...(schema.required ?? [])] },
      );
    default:
      throw new Error(`a schema of type ${String(schema.type)}`);
  }
}

/** Near misses of numeric and textual patterns: zero, one past a limit, signs, exponents, padding. */
const BOUNDARY_STRINGS = ['0', '00', '-1', '1001', '99999', '1e3', '2.5', ' 1', '01', 'null', 'W/', '""'];

/** Strings the schema refuses (for parameters, which are always strings on the wire). */
export function invalidString(schema: JsonSchema): fc.Arbitrary<string> | undefined {
  checkKeywords(schema);
  const pattern = patternOf(schema);
  const choices: fc.Arbitrary<string>[] = [];
  if (schema.maxLength !== undefined) {
    choices.push(fc.integer({ min: 1, max: 8 }).map((extra) => 'a'.repeat((schema.maxLength ?? 0) + extra)));
  }
  if (schema.minLength !== undefined && schema.minLength > 0) choices.push(fc.constant(''));
  if (pattern !== undefined) {
    const refused = (text: string) => !pattern.test(text);
    // Random text mostly matches loose patterns, so each candidate carries a character patterns refuse.
    const spoiler = fc.constantFrom('\u0000', '\ud800', ' ', '$', '"', '.', '/', '\u00e9');
    choices.push(
      fc
        .tuple(fc.string({ maxLength: SHORT / 2 }), spoiler, fc.string({ maxLength: SHORT / 2 }))
        .map(([before, bad, after]) => before + bad + after)
        .filter(refused),
    );
    const tricky = BOUNDARY_STRINGS.filter(refused);
    if (tricky.length > 0) choices.push(fc.constantFrom(...tricky));
  }
  return choices.length === 0 ? undefined : fc.oneof(...choices);
}

const NOT_OBJECTS = fc.oneof(fc.integer(), fc.boolean(), fc.string(), fc.constant(null), fc.array(fc.integer()));

/** JSON values the schema refuses: a wrong type, a missing required key, one property or item wrong. */
export function invalidValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  checkKeywords(schema);
  if (schema.anyOf !== undefined) throw new Error('invalid values of an anyOf are not generated yet');
  const wrongType: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 })),
    integer: fc.oneof(fc.string(), fc.double({ min: 0.1, max: 0.9 })),
    number: fc.oneof(fc.string(), fc.boolean()),
    boolean: fc.oneof(fc.integer(), fc.string()),
    array: NOT_OBJECTS.filter((value) => !Array.isArray(value)),
    object: NOT_OBJECTS,
  };
  const choices: fc.Arbitrary<unknown>[] = [];
  const typed = schema.type === undefined ? undefined : wrongType[schema.type];
  if (typed !== undefined) choices.push(schema.nullable === true ? typed.filter((value) => value !== null) : typed);
  if (schema.type === 'string') {
    const refused = invalidString(schema);
    if (refused !== undefined) choices.push(refused);
    // A lone surrogate: valid JSON (as an escape), refused by every pattern of well-formed text.
    if (schema.pattern?.includes('uD800') === true) choices.push(fc.constant('a\ud800'), fc.constant('\udfff'));
  }
  if (schema.type === 'array' && schema.items !== undefined) {
    const items = schema.items;
    choices.push(fc.tuple(invalidValue(items), validValue(items)).map(([bad, good]) => [good, bad]));
    if (schema.maxItems !== undefined) {
      const count = schema.maxItems + 1;
      choices.push(validValue(items).map((item) => Array.from({ length: count }, () => item)));
    }
  }
  if (schema.type === 'object') {
    const valid = validValue(schema) as fc.Arbitrary<Record<string, unknown>>;
    for (const key of schema.required ?? []) {
      choices.push(valid.map((value) => Object.fromEntries(Object.entries(value).filter(([name]) => name !== key))));
    }
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      choices.push(fc.tuple(valid, invalidValue(property)).map(([value, bad]) => ({ ...value, [key]: bad })));
    }
  }
  return fc.oneof(...choices);
}
