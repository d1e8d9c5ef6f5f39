/**
 * The pairing link: the page's address with credentials in the URL fragment, which browsers never send
 * to a server. Two forms, both `application/x-www-form-urlencoded` after the `#`:
 *
 * - `#pair=<UUID>` (the UUID of `open2fa.uuid`, lower-case, with hyphens), what `open2fa remote pair`
 *   prints and the page's recovery kit holds;
 * - `#pair-id=<Open2FA ID>&pair-secret=<Open2FA Secret>`, for people who have only those two (the page's
 *   "Pair another device" shows this one: it never holds the UUID).
 *
 * This module imports nothing, so `main.ts` can take the fragment out of the address bar and history
 * before any other code runs. The format is documented in docs/web.md (Pairing).
 */
export type PairCredentials =
  | { readonly kind: 'uuid'; readonly uuid: string }
  | { readonly kind: 'id-secret'; readonly id: string; readonly secret: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The ID and Secret are base58 (21–22 characters); the ID field accepts the server's wider pattern. */
const ID = /^[A-Za-z0-9_-]{1,128}$/;
const SECRET = /^[1-9A-HJ-NP-Za-km-z]{1,64}$/;

/** The credentials in a fragment (`location.hash`, with or without `#`); `null` when it holds none. */
export function parsePairFragment(hash: string): PairCredentials | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const uuid = params.get('pair');
  if (uuid !== null) return UUID.test(uuid) ? { kind: 'uuid', uuid: uuid.toLowerCase() } : null;
  const id = params.get('pair-id');
  const secret = params.get('pair-secret');
  if (id === null || secret === null || !ID.test(id) || !SECRET.test(secret)) return null;
  return { kind: 'id-secret', id, secret };
}

/** Whether a fragment is meant as a pairing link (then it is removed, even when it is malformed). */
export function isPairFragment(hash: string): boolean {
  return /^#?pair(?:-id|-secret)?=/.test(hash) || /[#&]pair(?:-id|-secret)?=/.test(hash);
}

/** The link another device opens: `base` is the page's address (its own fragment is dropped). */
export function formatPairLink(base: string, credentials: PairCredentials): string {
  const url = new URL(base);
  const params =
    credentials.kind === 'uuid'
      ? new URLSearchParams({ pair: credentials.uuid })
      : new URLSearchParams({ 'pair-id': credentials.id, 'pair-secret': credentials.secret });
  url.hash = params.toString();
  return url.href;
}

/**
 * Takes the pairing credentials out of the page's address: the fragment is replaced in the current
 * history entry (`history.replaceState`, so neither the address bar nor Back shows it) before they are
 * parsed. Any other fragment is left alone.
 */
export function takePairFragment(
  where: Pick<Location, 'hash' | 'pathname' | 'search'> = location,
  past: Pick<History, 'replaceState'> = history,
): PairCredentials | null {
  const { hash } = where;
  if (!isPairFragment(hash)) return null;
  past.replaceState(null, '', `${where.pathname}${where.search}`);
  return parsePairFragment(hash);
}
