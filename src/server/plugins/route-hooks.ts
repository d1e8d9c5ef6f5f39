import type { FastifyRequest, RouteOptions } from 'fastify';

type RouteHookName = 'preHandler' | 'onSend';

/**
 * Adds a hook to one route as it is declared (from an `onRoute` hook), after the route's own hooks.
 * A route-level hook costs nothing on other routes and can capture the route's settings once,
 * instead of reading `request.routeOptions` (a fresh object per read) on every request.
 */
export function appendRouteHook<Name extends RouteHookName>(
  route: RouteOptions,
  name: Name,
  hook: NonNullable<RouteOptions[Name]> extends infer Hooks
    ? Hooks extends readonly (infer One)[]
      ? One
      : Hooks
    : never,
): void {
  const existing = route[name] as unknown;
  const list: unknown[] = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as unknown as Record<Name, unknown[]>)[name] = [...list, hook];
}

/**
 * The path of the route the router chose (`/api/v2/items/:id`), which is what rules about paths must
 * look at: the router decodes the raw URL, so `/%61pi/v1/totps` reaches `/api/v1/totps`, and a rule
 * on the raw URL would miss it. Without a matching route (the 404 handler), the raw path decoded the
 * same way.
 */
export function routedPath(request: FastifyRequest): string {
  const routed = request.routeOptions.url;
  if (routed !== undefined) return routed;
  const raw = request.url;
  const query = raw.indexOf('?');
  const path = query === -1 ? raw : raw.slice(0, query);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
