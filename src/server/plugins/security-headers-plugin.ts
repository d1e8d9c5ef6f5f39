import { IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { routedPath } from './route-hooks.js';

/**
 * The page's Content-Security-Policy: scripts, styles and connections only from our own origin, no
 * inline code, nothing may frame us. Enforced, not report-only.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  // 'wasm-unsafe-eval' lets the page compile WebAssembly (sql.js, for importing app databases); it
  // allows no eval() of JavaScript.
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
} as const;

const PERMISSIONS_POLICY = 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()';

/**
 * The security headers, computed once by running helmet against a stub response at boot. They never
 * vary per request, and @fastify/helmet re-runs helmet (re-parsing the CSP) on every request, which
 * cost 12 % of pull throughput in the benchmark (bench/profile-notes.md).
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  const headers = new Map<string, string>();
  const stub = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
    },
    removeHeader: (name: string) => {
      // helmet removes X-Powered-By; Fastify never sets it.
      headers.delete(name.toLowerCase());
    },
  } as unknown as ServerResponse;
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // HSTS only makes sense behind TLS; the operator's proxy sets it (docs/deploy.md).
    strictTransportSecurity: false,
  });
  middleware(Object.create(IncomingMessage.prototype) as IncomingMessage, stub, () => undefined);
  headers.set('permissions-policy', PERMISSIONS_POLICY);
  return Object.fromEntries(headers);
}

/**
 * The headers of JSON answers from the sync API (OWASP's REST set): nothing may load, render or frame
 * them, no MIME sniffing, no referrer, no cross-origin reads. The page-only headers of `securityHeaders`
 * (COOP, Permissions-Policy, Origin-Agent-Cluster and the legacy X-* switches) govern documents and
 * would only add bytes to every API answer.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** Paths of the JSON sync API (/api/v1/…, /api/v2/…); everything else is a document. */
const API_PATH = /^\/api\/v\d+(?:[/?]|$)/;

/**
 * Security headers on every answer: the API set on the sync API (with `Cache-Control: no-store`), the
 * page set elsewhere, and HSTS on both when the operator says the site is served over TLS. Both sets
 * are computed once; a request only picks one, by the path of the route the router chose
 * (route-hooks.ts), so `/%61pi/v1/totps` gets the API set as `/api/v1/totps` does.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { readonly hstsMaxAge?: number } = {}): void {
  const hsts: Record<string, string> =
    options.hstsMaxAge !== undefined && options.hstsMaxAge > 0
      ? { 'strict-transport-security': `max-age=${String(options.hstsMaxAge)}; includeSubDomains` }
      : {};
  const page = { ...securityHeaders(), ...hsts };
  const api = { ...API_SECURITY_HEADERS, ...hsts };
  // The API's own documents (/api/docs, /api/openapi.json) are pages that are never cached either.
  const apiPage = { ...page, 'cache-control': 'no-store' };
  app.addHook('onRequest', (request, reply, done) => {
    const path = routedPath(request);
    void reply.headers(path.startsWith('/api/') ? (API_PATH.test(path) ? api : apiPage) : page);
    done();
  });
}
