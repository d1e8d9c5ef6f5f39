import { IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * The page's Content-Security-Policy: scripts, styles and connections only from our own origin, no
 * inline code, nothing may frame us. Enforced, not report-only.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
} as const;

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

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
 * Security headers on every answer, `Cache-Control: no-store` on every API answer, and HSTS when the
 * operator says the site is served over TLS.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { readonly hstsMaxAge?: number } = {}): void {
  const headers: Record<string, string> = { ...securityHeaders() };
  if (options.hstsMaxAge !== undefined && options.hstsMaxAge > 0) {
    headers['strict-transport-security'] = `max-age=${String(options.hstsMaxAge)}; includeSubDomains`;
  }
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers);
    if (request.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    done();
  });
}
