/**
 * The OpenAPI document against the server that serves it, in the manner of schemathesis: requests are
 * generated from the served `/api/openapi.json` alone (valid ones, happy paths through known data, and
 * invalid ones with one thing wrong), sent over HTTP to a listening server, and every answer is held to
 * the document: a status it lists for that operation, a body valid against the schema it gives for that
 * status (validated with ajv, the validator Fastify itself uses), the headers it says are always sent,
 * errors as `{"detail"}`, never a 5xx. A valid request must not be refused as invalid, and an invalid one
 * must be refused (4xx). `CONFORMANCE_RUNS` raises the runs per operation and mode (default 40).
 */
import { randomBytes } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/test-server.js';
import { invalidString, invalidValue, validValue, type JsonSchema } from './openapi-arbitraries.js';

const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 40);

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema: JsonSchema;
}
type MediaTypes = Readonly<Record<string, { readonly schema?: JsonSchema }>>;
interface Answer {
  readonly description: string;
  readonly content?: MediaTypes;
  readonly headers?: Readonly<Record<string, { readonly required?: boolean }>>;
}
interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly required?: boolean; readonly content: MediaTypes };
  readonly responses: Readonly<Record<string, Answer>>;
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
}
type SecurityScheme =
  | { readonly type: 'apiKey'; readonly in: 'header'; readonly name: string }
  | { readonly type: 'http'; readonly scheme: 'bearer' };
interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: { readonly securitySchemes: Readonly<Record<string, SecurityScheme>> };
}

/** One generated request, kept in parts so that a happy path can set its parts before it is sent. */
interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly mode: 'happy' | 'valid' | 'invalid';
  readonly mutation: string;
  readonly pathParams: Record<string, string>;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

// The data every run may meet: an existing v1 user with two entries, a v2 account with one item.
const ID = 'GiG4Xz1tmTnG3CVh38raYX';
const TOKEN = randomBytes(32).toString('base64url');
const METRICS_TOKEN = randomBytes(16).toString('hex');
const ENC_SECRETS = ['gAAAAABlq_ia8qJoDt5weWB_BKoOOrhh-FNQHwyVnV0reVIKGH74chN_PCkdWz3MR_TFOzsBqRGCvcpvHf8==', 'a/b c'];
const ITEM_ID = randomBytes(16).toString('base64url');
const ENVELOPE = `o2fa2.${randomBytes(40).toString('base64url')}`;

/** Values of named parameters that hit stored data, chosen half the time (and always on a happy path). */
const KNOWN_VALUES: Readonly<Record<string, readonly string[]>> = {
  'x-user-hash': [ID],
  enc_secret: ENC_SECRETS,
  id: [ITEM_ID],
  'if-match': ['"0"', '"1"'],
};
/** The credential of each security scheme; a scheme the document gains must be added here. */
const CREDENTIALS: Readonly<Record<string, string>> = { userHash: ID, bearerAuth: TOKEN, metricsToken: METRICS_TOKEN };

const server = await startTestServer({
  rateLimitMax: 0,
  rateLimitFailedLookups: 0,
  processMetrics: false,
  metricsToken: METRICS_TOKEN,
});
afterAll(() => server.close());
const document = (await (await fetch(`${server.origin}/api/openapi.json`)).json()) as OpenApiDocument;

const v2Headers = { 'x-user-hash': ID, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
async function seedV1(): Promise<void> {
  const response = await fetch(`${server.origin}/api/v1/totps`, {
    method: 'POST',
    headers: { 'x-user-hash': ID, 'content-type': 'application/json' },
    body: JSON.stringify({ totps: ENC_SECRETS.map((enc_secret) => ({ enc_secret, name: 'seed' })) }),
  });
  expect(response.status).toBe(200);
}
async function createItem(id: string): Promise<void> {
  const response = await fetch(`${server.origin}/api/v2/items/${id}`, {
    method: 'PUT',
    headers: { ...v2Headers, 'if-match': '"0"' },
    body: JSON.stringify({ envelope: ENVELOPE }),
  });
  expect(response.status).toBe(200);
}
await seedV1();
await createItem(ITEM_ID);

const freshId = (): string => randomBytes(16).toString('base64url');

/**
 * How each operation succeeds: the request is made of known values, then set up here. An operation
 * without an entry is still tested, but the test below fails until it has one.
 */
const HAPPY_PATHS: Readonly<Record<string, (exchange: Exchange) => Promise<Exchange>>> = {
  'GET /healthz': (exchange) => Promise.resolve(exchange),
  'GET /readyz': (exchange) => Promise.resolve(exchange),
  'GET /metrics': (exchange) => Promise.resolve(exchange),
  'GET /api/v1': (exchange) => Promise.resolve(exchange),
  'GET /api/v1/totps': async (exchange) => {
    await seedV1();
    return exchange;
  },
  // A new user each time: the known one would reach its quota over a long campaign.
  'POST /api/v1/totps': (exchange) =>
    Promise.resolve({ ...exchange, headers: { ...exchange.headers, 'x-user-hash': freshId() } }),
  'DELETE /api/v1/totps': async (exchange) => {
    await seedV1();
    return exchange;
  },
  'GET /api/v1/totps/{enc_secret}': async (exchange) => {
    await seedV1();
    return exchange;
  },
  'DELETE /api/v1/totp/{enc_secret}': async (exchange) => {
    await seedV1();
    return exchange;
  },
  'DELETE /api/v1/account': async (exchange) => {
    await seedV1();
    return exchange;
  },
  'GET /api/v2/items': (exchange) => Promise.resolve(exchange),
  'DELETE /api/v2/account': async (exchange) => {
    await createItem(freshId());
    return exchange;
  },
  'PUT /api/v2/items/{id}': (exchange) =>
    Promise.resolve({
      ...exchange,
      pathParams: { id: freshId() },
      headers: { ...exchange.headers, 'if-match': '"0"' },
    }),
  'DELETE /api/v2/items/{id}': async (exchange) => {
    const id = freshId();
    await createItem(id);
    return { ...exchange, pathParams: { id }, headers: { ...exchange.headers, 'if-match': '"1"' } };
  },
};

const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Whether a value can be sent where the parameter goes (HTTP header syntax, URL path segments). */
function sendable(parameter: Parameter, value: string): boolean {
  if (parameter.in === 'header') return HEADER_VALUE.test(value);
  if (parameter.in === 'path') {
    // URLs resolve "." and ".." (even percent-encoded) before any server sees them.
    if (value === '' || /^(?:\.|%2e){1,2}$/i.test(value)) return false;
  }
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false; // a lone surrogate has no UTF-8 form, so no URL
  }
}

function parameterValue(parameter: Parameter, happy: boolean): fc.Arbitrary<string> {
  const known = KNOWN_VALUES[parameter.name];
  const generated = (validValue(parameter.schema) as fc.Arbitrary<string>).filter((value) =>
    sendable(parameter, value),
  );
  if (known === undefined) return generated;
  return happy ? fc.constantFrom(...known) : fc.oneof(fc.constantFrom(...known), generated);
}

function securityHeaders(operation: Operation, happy: boolean): fc.Arbitrary<Record<string, string>> {
  const entries = Object.keys(operation.security?.[0] ?? {}).map((name) => {
    const scheme = document.components.securitySchemes[name];
    const credential = CREDENTIALS[name];
    if (scheme === undefined || credential === undefined) throw new Error(`unknown security scheme ${name}`);
    if (scheme.type === 'apiKey') {
      return [scheme.name.toLowerCase(), fc.constant(credential)] as const;
    }
    const random = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((bytes) => Buffer.from(bytes).toString('base64url'));
    return [
      'authorization',
      (happy ? fc.constant(credential) : fc.oneof(fc.constant(credential), random)).map((token) => `Bearer ${token}`),
    ] as const;
  });
  return fc.record(Object.fromEntries(entries));
}

function validExchange(method: string, path: string, operation: Operation, happy: boolean): fc.Arbitrary<Exchange> {
  const parameters = operation.parameters ?? [];
  const part = (place: Parameter['in']) =>
    fc.record(
      Object.fromEntries(parameters.filter((p) => p.in === place).map((p) => [p.name, parameterValue(p, happy)])),
      { requiredKeys: parameters.filter((p) => p.in === place && (happy || p.required === true)).map((p) => p.name) },
    );
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  return fc
    .record({
      pathParams: part('path'),
      query: part('query'),
      headers: part('header'),
      security: securityHeaders(operation, happy),
      body: bodySchema === undefined ? fc.constant(undefined) : validValue(bodySchema),
    })
    .map(({ pathParams, query, headers, security, body }) => ({
      method,
      path,
      mode: happy ? 'happy' : 'valid',
      mutation: '',
      pathParams,
      query,
      // The parameter wins over the security scheme's credential: it is generated from its own schema.
      headers: {
        ...security,
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
}

function without(record: Record<string, string>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

const PLACE = { path: 'pathParams', query: 'query', header: 'headers' } as const;

/** Requests with exactly one thing wrong, each labelled with what. */
function invalidExchange(method: string, path: string, operation: Operation): fc.Arbitrary<Exchange> {
  const base = validExchange(method, path, operation, false).map((exchange) => ({
    ...exchange,
    mode: 'invalid' as const,
  }));
  const mutations: fc.Arbitrary<Exchange>[] = [];
  for (const parameter of operation.parameters ?? []) {
    const place = PLACE[parameter.in];
    if (parameter.required === true && parameter.in !== 'path') {
      mutations.push(
        base.map((exchange) => ({
          ...exchange,
          mutation: `no ${parameter.name}`,
          [place]: without(exchange[place], parameter.name),
        })),
      );
    }
    const refused = invalidString(parameter.schema)?.filter((value) => sendable(parameter, value));
    if (refused !== undefined) {
      mutations.push(
        fc.tuple(base, refused).map(([exchange, value]) => ({
          ...exchange,
          mutation: `${parameter.name} = ${JSON.stringify(value)}`,
          [place]: { ...exchange[place], [parameter.name]: value },
        })),
      );
    }
  }
  for (const name of Object.keys(operation.security?.[0] ?? {})) {
    const scheme = document.components.securitySchemes[name];
    const header = scheme?.type === 'apiKey' ? scheme.name.toLowerCase() : 'authorization';
    mutations.push(
      base.map((exchange) => ({ ...exchange, mutation: `no ${name}`, headers: without(exchange.headers, header) })),
    );
  }
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  if (bodySchema !== undefined) {
    const withBody = (mutation: string, body: string, contentType = 'application/json') =>
      base.map((exchange) => ({
        ...exchange,
        mutation,
        body,
        headers: { ...exchange.headers, 'content-type': contentType },
      }));
    mutations.push(
      fc.tuple(base, invalidValue(bodySchema)).map(([exchange, body]) => ({
        ...exchange,
        mutation: `body ${JSON.stringify(body).slice(0, 80)}`,
        body: JSON.stringify(body),
      })),
      base.chain((exchange) =>
        fc.integer({ min: 1, max: Math.max(1, (exchange.body ?? '{}').length - 1) }).map((cut) => ({
          ...exchange,
          mutation: 'truncated JSON',
          body: (exchange.body ?? '{}').slice(0, cut),
        })),
      ),
      fc.tuple(base, fc.constantFrom('__proto__', 'constructor', 'prototype')).map(([exchange, key]) => ({
        ...exchange,
        mutation: `a "${key}" key`,
        body: (exchange.body ?? '{}').replace(/^\{/, `{"${key}":{"x":1},`).replace(',}', '}'),
      })),
      withBody('an XML body', '<totps/>', 'application/xml'),
    );
    if (operation.requestBody?.required === true) {
      mutations.push(
        base.map((exchange) => ({
          method: exchange.method,
          path: exchange.path,
          mode: exchange.mode,
          mutation: 'no body',
          pathParams: exchange.pathParams,
          query: exchange.query,
          headers: without(exchange.headers, 'content-type'),
        })),
      );
    }
  }
  return fc.oneof(...mutations);
}

async function send(exchange: Exchange): Promise<{ status: number; headers: Headers; text: string }> {
  const path = exchange.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
    encodeURIComponent(exchange.pathParams[name] ?? ''),
  );
  const query = new URLSearchParams(exchange.query).toString();
  const response = await fetch(`${server.origin}${path}${query === '' ? '' : `?${query}`}`, {
    method: exchange.method,
    headers: exchange.headers,
    ...(exchange.body === undefined ? {} : { body: exchange.body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<JsonSchema, ValidateFunction>();
function validatorOf(schema: JsonSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** Statuses that say "your request is malformed": a request the document calls valid must not get one. */
const REFUSED_AS_INVALID = new Set([400, 415, 422, 428]);

function holdToDocument(operation: Operation, exchange: Exchange, answer: Awaited<ReturnType<typeof send>>): void {
  const what = `${exchange.mode} ${exchange.mutation} ${exchange.method} ${exchange.path} ${JSON.stringify(exchange.pathParams)} ${JSON.stringify(exchange.query)} → ${String(answer.status)} ${answer.text.slice(0, 300)}`;
  expect(answer.status, what).toBeLessThan(500);
  const documented = operation.responses[String(answer.status)];
  expect(documented, `status not in the document: ${what}`).toBeDefined();
  if (exchange.mode === 'happy') expect(answer.status, what).toBeLessThan(300);
  if (exchange.mode === 'valid') expect(REFUSED_AS_INVALID.has(answer.status), what).toBe(false);
  if (exchange.mode === 'invalid') expect(answer.status, what).toBeGreaterThanOrEqual(400);
  const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  const content = documented?.content ?? {};
  expect(Object.keys(content), `media type ${mediaType}: ${what}`).toContain(mediaType);
  const schema = content[mediaType]?.schema;
  if (mediaType === 'application/json') {
    const body: unknown = JSON.parse(answer.text);
    if (schema !== undefined) {
      const validate = validatorOf(schema);
      expect(validate(body), `${ajv.errorsText(validate.errors)}: ${what}`).toBe(true);
    }
    if (answer.status >= 400) expect(typeof (body as { detail?: unknown }).detail, what).toBe('string');
  } else {
    expect(answer.status, `an error that is not JSON: ${what}`).toBeLessThan(400);
  }
  for (const [name, header] of Object.entries(documented?.headers ?? {})) {
    if (header.required === true) expect(answer.headers.has(name), `${name} missing: ${what}`).toBe(true);
  }
}

const OPERATIONS = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({
    name: `${method.toUpperCase()} ${path}`,
    method: method.toUpperCase(),
    path,
    operation,
  })),
);

describe('the served OpenAPI document', () => {
  it('lists the operations this test knows how to succeed at, and no others', () => {
    expect(OPERATIONS.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(Object.keys(HAPPY_PATHS).sort());
  });
});

describe.each(OPERATIONS)('$name', ({ name, method, path, operation }) => {
  const happyPath = HAPPY_PATHS[name];

  it.runIf(happyPath !== undefined)('succeeds on its happy path, as documented', async () => {
    await fc.assert(
      fc.asyncProperty(validExchange(method, path, operation, true), async (generated) => {
        if (happyPath === undefined) return;
        const exchange = await happyPath(generated);
        holdToDocument(operation, exchange, await send(exchange));
      }),
      { numRuns: Math.max(5, Math.round(RUNS / 4)) },
    );
  });

  it('answers valid requests as documented, never refusing them as malformed', async () => {
    await fc.assert(
      fc.asyncProperty(validExchange(method, path, operation, false), async (exchange) => {
        holdToDocument(operation, exchange, await send(exchange));
      }),
      { numRuns: RUNS },
    );
  });

  const mayBeWrong =
    (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined || operation.security !== undefined;
  it.runIf(mayBeWrong)('refuses requests with one thing wrong (4xx), as documented', async () => {
    await fc.assert(
      fc.asyncProperty(invalidExchange(method, path, operation), async (exchange) => {
        holdToDocument(operation, exchange, await send(exchange));
      }),
      { numRuns: RUNS },
    );
  });
  // The HTTP server itself answers these, before any route: a 20 KB header, then (documented alike) 408.
  it('answers a request head over the limit with 431, as documented', async () => {
    await fc.assert(
      fc.asyncProperty(validExchange(method, path, operation, false), async (generated) => {
        const exchange = {
          ...generated,
          mode: 'invalid' as const,
          mutation: 'a 20 KB header',
          headers: { ...generated.headers, 'x-padding': 'a'.repeat(20_000) },
        };
        const answer = await send(exchange);
        expect(answer.status).toBe(431);
        holdToDocument(operation, exchange, answer);
      }),
      { numRuns: 3 },
    );
    expect(operation.responses['408']?.description).toMatch(/REQUEST_TIMEOUT_MS/);
  });
});

describe.each(Object.keys(document.paths))('path %s', (path) => {
  it('serves exactly the documented methods (405 with Allow for the others)', async () => {
    const documented = Object.keys(document.paths[path] ?? {}).map((name) => name.toUpperCase());
    const allow = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'].filter(
      (name) => documented.includes(name) || (name === 'HEAD' && documented.includes('GET')),
    );
    const url = path.replace(/\{(\w+)\}/g, (_match, name: string) =>
      encodeURIComponent(KNOWN_VALUES[name]?.[0] ?? 'x'),
    );
    for (const other of ['POST', 'PUT', 'DELETE', 'PATCH'].filter((name) => !documented.includes(name))) {
      const response = await fetch(`${server.origin}${url}`, { method: other });
      expect(response.status, `${other} ${url}`).toBe(405);
      expect(response.headers.get('allow'), `${other} ${url}`).toBe(allow.join(', '));
      expect(await response.json()).toHaveProperty('detail');
    }
  });
});
