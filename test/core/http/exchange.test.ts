import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { errorDetail, exchangeJson, parseRetryAfter, statusFailure } from '../../../src/core/http/exchange.js';
import { readAllPages } from '../../../src/core/http/paging.js';
import { createV2Client, MAX_PAGES } from '../../../src/core/v2/client.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A real HTTP server on loopback: the exchange runs over Node's real fetch. */
async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push({
    close: () => {
      server.closeAllConnections();
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
}

const options = { fetch: globalThis.fetch };

describe('exchangeJson (core/http)', () => {
  it('answers any status with the parsed body, the Date and Retry-After', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': '7',
        date: 'Tue, 01 Dec 2026 10:00:00 GMT',
      });
      response.end('{"detail":"slow down"}');
    });
    const result = await exchangeJson({ url, method: 'GET' }, options);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ status: 429, body: { detail: 'slow down' }, retryAfterSeconds: 7 });
    expect(result.value.date?.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(statusFailure(result.value)).toMatchObject({
      kind: 'rate_limited',
      retryAfterSeconds: 7,
      detail: 'slow down',
    });
  });

  it('sends JSON with the given headers and never follows a redirect', async () => {
    let seen: { method?: string | undefined; type?: string | undefined; auth?: string | undefined; body: string } = {
      body: '',
    };
    const url = await serve((request, response) => {
      if (request.url === '/moved') {
        response.writeHead(302, { location: '/elsewhere' }).end();
        return;
      }
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen = {
          method: request.method,
          type: request.headers['content-type'],
          auth: request.headers.authorization,
          body,
        };
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const sent = await exchangeJson(
      { url, method: 'PUT', headers: { Authorization: 'Bearer t' }, body: { a: 1 } },
      options,
    );
    expect(sent.ok).toBe(true);
    expect(seen).toEqual({ method: 'PUT', type: 'application/json', auth: 'Bearer t', body: '{"a":1}' });
    const moved = await exchangeJson({ url: `${url}/moved`, method: 'GET' }, options);
    expect(moved).toMatchObject({ ok: false, failure: { kind: 'unreachable' } });
  });

  it('refuses an answer over the size limit without reading it all, and one that is not JSON', async () => {
    const url = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      if (request.url === '/text') response.end('<html>');
      else response.end(`"${'x'.repeat(5000)}"`);
    });
    expect(await exchangeJson({ url, method: 'GET' }, { ...options, maxBytes: 1000 })).toMatchObject({
      ok: false,
      failure: { kind: 'malformed', why: 'the answer is larger than 1000 bytes' },
    });
    expect(await exchangeJson({ url: `${url}/text`, method: 'GET' }, options)).toMatchObject({
      ok: false,
      failure: { kind: 'malformed', why: 'the answer is not JSON' },
    });
  });

  it('gives up after the timeout, body included', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"slow":');
    });
    const started = Date.now();
    const result = await exchangeJson({ url, method: 'GET' }, { ...options, timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'timeout', seconds: 0.2 } });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('names the network reason when nothing listens', async () => {
    const url = await serve(() => undefined);
    servers.splice(0).forEach((server) => {
      server.close();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = await exchangeJson({ url, method: 'GET' }, options);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unreachable', reason: 'ECONNREFUSED' } });
  });

  it('keeps a detail to one short line, and reads the first message of a FastAPI 422 list', () => {
    expect(errorDetail({ detail: `a\n\n${'b'.repeat(300)}` })?.length).toBe(200);
    expect(errorDetail({ detail: [{ msg: 'field required' }] })).toBe('field required');
    expect(errorDetail({ detail: 42 })).toBeNull();
    expect(errorDetail('nope')).toBeNull();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('42')).toBe(42);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 1_000)).toBe(9);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe('paging (core/http/paging.ts)', () => {
  const url = 'http://server/items';
  const page = (items: number[], more: boolean) =>
    Promise.resolve({ ok: true as const, value: { items, more, next: items.at(-1) ?? null, meta: null } });

  it('follows the cursor to the last page', async () => {
    const pages: Record<number, number[]> = { 0: [1, 2], 2: [3, 4], 4: [5] };
    const result = await readAllPages(0, (since) => page(pages[since] ?? [], since !== 4), { url, maxPages: 5 });
    expect(result).toEqual({ ok: true, value: { items: [1, 2, 3, 4, 5], meta: null, pages: 3 } });
  });

  it('stops on a page that does not move the cursor forward, or goes back', async () => {
    expect(await readAllPages(0, () => page([3], true), { url, maxPages: 50 })).toEqual({
      ok: false,
      failure: { kind: 'malformed', url, why: "the server's paging does not move forward (page 2 repeats)" },
    });
    expect(await readAllPages(5, () => page([2], true), { url, maxPages: 50 })).toMatchObject({
      ok: false,
      failure: { why: "the server's paging does not move forward (page 1 repeats)" },
    });
  });

  it('stops on an empty page that says there is more, and after the page cap', async () => {
    expect(await readAllPages(0, () => page([], true), { url, maxPages: 50 })).toMatchObject({
      ok: false,
      failure: { why: 'the server says there is more but sent an empty page' },
    });
    let calls = 0;
    const endless = await readAllPages(0, (since) => (calls++, page([since + 1], true)), { url, maxPages: 4 });
    expect(endless).toMatchObject({ ok: false, failure: { why: "the server's listing goes on past 4 pages" } });
    expect(calls).toBe(4);
  });
});

describe('the v2 client against a server that never stops paging', () => {
  const token = 'A'.repeat(43);
  const item = (seq: number) => ({
    id: `item-${String(seq).padStart(16, '0')}`,
    rev: 1,
    seq,
    deleted: true,
    envelope: null,
  });

  it('stops with a reason when the server repeats one page with more: true', async () => {
    let requests = 0;
    const url = await serve((_request, response) => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ items: [item(1)], seq: 1, more: true }));
    });
    const client = createV2Client({ apiUrl: `${url}/api/v2`, token, fetch: globalThis.fetch });
    const started = Date.now();
    const result = await client.allChanges(0);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'malformed' } });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(requests).toBe(2);
  });

  it('stops at the page cap when the server advances for ever', async () => {
    let requests = 0;
    const url = await serve((request, response) => {
      requests++;
      const since = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('since'));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ items: [item(since + 1)], seq: since + 1, more: true }));
    });
    const client = createV2Client({ apiUrl: `${url}/api/v2`, token, fetch: globalThis.fetch });
    const result = await client.allChanges(0);
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'malformed', why: `the server's listing goes on past ${String(MAX_PAGES)} pages` },
    });
    expect(requests).toBe(MAX_PAGES);
  });
});
