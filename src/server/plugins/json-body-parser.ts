import { errorCodes, type FastifyInstance } from 'fastify';

/** Keys refused anywhere in a body: with them, a careless merge reaches an object's prototype. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Text that might hold a forbidden key: one of the words, or a `\u` escape (which can spell any of them).
 * Only such bodies are walked, so a plain push pays one scan of its text and nothing more.
 */
const MIGHT_HOLD_FORBIDDEN_KEY = /__proto__|constructor|prototype|\\u/;

/** A body that is valid JSON with a key we refuse: a 422 that names the key. */
export class ForbiddenKeyError extends Error {
  override readonly name = 'ForbiddenKeyError';
  readonly statusCode = 422;

  constructor(key: string) {
    super(`request body has a key named "${key}"; keys named __proto__, constructor and prototype are refused`);
  }
}

/** The first forbidden key of a parsed JSON value, walked without recursion (bodies may nest deeply). */
export function findForbiddenKey(value: unknown): string | undefined {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === null || typeof next !== 'object') continue;
    if (Array.isArray(next)) {
      for (const element of next as unknown[]) pending.push(element);
      continue;
    }
    for (const key of Object.keys(next)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      pending.push((next as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}

/**
 * Parses a JSON body: malformed text is Fastify's 400, a key named `__proto__`, `constructor` or
 * `prototype` anywhere is a 422 that says so. (Fastify's own parser answers both "not valid JSON".)
 */
export function parseJsonBody(text: string): unknown {
  // A byte order mark is not JSON, but clients send one; JSON.parse would refuse it.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
  if (MIGHT_HOLD_FORBIDDEN_KEY.test(json)) {
    const key = findForbiddenKey(value);
    if (key !== undefined) throw new ForbiddenKeyError(key);
  }
  return value;
}

/** Replaces Fastify's JSON parser with `parseJsonBody` (same body limit, same empty-body error). */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body.length === 0) {
      done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
      return;
    }
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
