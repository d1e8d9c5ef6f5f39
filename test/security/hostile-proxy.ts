import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy answers instead of the real server's answer, or `null` to pass it on. */
export type Rewrite = (request: { method: string; path: string }, answer: Answer) => Answer | null;

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface HostileProxy {
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** The rewrite applied from now on (`null`: pass everything through). */
  rewrite: Rewrite | null;
  close(): Promise<void>;
}

/**
 * A man in the middle (or a server gone bad) in front of a real open2fa server: every request goes
 * on to `upstream` unchanged and every answer comes back through `rewrite`, which may replace it.
 */
export async function startHostileProxy(upstream: string): Promise<HostileProxy> {
  const proxy: { rewrite: Rewrite | null } = { rewrite: null };
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const headers = Object.fromEntries(
        Object.entries(request.headers).flatMap(([name, value]) =>
          typeof value === 'string' && name !== 'host' && name !== 'content-length' ? [[name, value]] : [],
        ),
      );
      const method = request.method ?? 'GET';
      const path = request.url ?? '/';
      const real = await fetch(`${upstream}${path}`, {
        method,
        headers,
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
      });
      const answer: Answer = {
        status: real.status,
        headers: { 'content-type': real.headers.get('content-type') ?? 'application/json' },
        body: await real.text(),
      };
      const sent = proxy.rewrite?.({ method, path }, answer) ?? answer;
      response.writeHead(sent.status, sent.headers).end(sent.body);
    })().catch((error: unknown) => {
      response.writeHead(502).end(JSON.stringify({ detail: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    get rewrite() {
      return proxy.rewrite;
    },
    set rewrite(value) {
      proxy.rewrite = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A JSON answer. */
export function json(status: number, value: unknown): Answer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
