import type { RouteOptions } from 'fastify';

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
