// What both clients say when an exchange fails. The one place of the CLI's HTTP code is this folder
// (src/core/http will take its place); neither protocol's client borrows from the other's file.

/** A request that got no answer, in one line naming the URL and the reason (`ECONNREFUSED`, a timeout). */
export function unreachableMessage(url: string, error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `the open2fa server at ${url} did not answer within ${String(timeoutMs / 1000)} s`;
  }
  // undici reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const reason = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  const text = error instanceof Error ? error.message : String(error);
  return `cannot reach the open2fa server at ${url} (${reason === '' ? text : reason}); check OPEN2FA_API_URL`;
}

/** The `detail` of a `{"detail": ...}` error body: a string, or the first message of a 422 list. */
export function errorDetail(text: string): string | null {
  let detail: unknown;
  try {
    detail = (JSON.parse(text) as { detail?: unknown } | null)?.detail;
  } catch {
    return null;
  }
  if (Array.isArray(detail)) detail = (detail[0] as { msg?: unknown } | undefined)?.msg;
  if (typeof detail !== 'string') return null;
  const line = detail.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
