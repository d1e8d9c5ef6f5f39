import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { packageRoot } from '../../package-info.js';

/** `dist/web` of this package, wherever the server runs from (the sources, dist/, the server bundle). */
export const DEFAULT_WEB_ROOT = join(packageRoot(), 'dist', 'web');

export const WEB_NOT_BUILT_DETAIL = 'the web UI is not built: run `npm run build`, then restart the server';

export interface WebRoutesOptions {
  /** The folder `scripts/build-web.mjs` wrote (index.html and assets/). */
  readonly root?: string;
}

/** Fingerprinted names change with their content, so browsers may keep them for a year unasked. */
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/**
 * The web UI: `GET /` answers index.html (revalidated every time, so a new build shows at once) and
 * `/assets/*` the fingerprinted bundles. The security headers (CSP, nosniff, no-referrer) come from the
 * app-wide plugin. Without a build, `GET /` says what to do instead of a bare 404.
 */
export function webRoutes(options: WebRoutesOptions = {}): FastifyPluginAsync {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  return async (app) => {
    const assets = join(root, 'assets');
    if (existsSync(assets)) {
      await app.register(fastifyStatic, {
        root: assets,
        prefix: '/assets/',
        index: false,
        list: false,
        dotfiles: 'deny',
        etag: true,
        lastModified: false,
        cacheControl: false,
        setHeaders: (response) => {
          response.setHeader('cache-control', IMMUTABLE_CACHE);
        },
      });
    }

    // The service worker must sit at the root to control `/`; it is revalidated on every check, so a
    // new build reaches browsers at their next visit (and waits there until the page agrees).
    let serviceWorker: Buffer | null = null;
    app.get('/sw.js', { schema: { hide: true } }, async (_request, reply) => {
      serviceWorker ??= await readFile(join(root, 'sw.js')).catch(() => null);
      if (serviceWorker === null) return reply.code(404).send({ detail: WEB_NOT_BUILT_DETAIL });
      return reply
        .header('cache-control', 'no-cache')
        .header('service-worker-allowed', '/')
        .type('text/javascript; charset=utf-8')
        .send(serviceWorker);
    });

    let indexHtml: Buffer | null = null;
    app.get('/', { schema: { hide: true } }, async (_request, reply) => {
      indexHtml ??= await readIndex(root);
      if (indexHtml === null) return reply.code(503).send({ detail: WEB_NOT_BUILT_DETAIL });
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
    });
  };
}

async function readIndex(root: string): Promise<Buffer | null> {
  try {
    return await readFile(join(root, 'index.html'));
  } catch {
    return null;
  }
}
