/** Device clocks this far from the server's (ms) still give the right codes most of the time. */
export const CLOCK_SKEW_TOLERANCE_MS = 2000;

/**
 * Server time minus device time, estimated from an answer's `Date` header. The header has whole
 * seconds, so the server read its clock somewhere in [date, date + 1 s): take the middle, and compare
 * with the middle of the request's round trip.
 */
export function estimateClockOffset(dateHeader: string | null, sentAt: number, receivedAt: number): number | null {
  if (dateHeader === null) return null;
  const serverTime = Date.parse(dateHeader);
  if (Number.isNaN(serverTime)) return null;
  return serverTime + 500 - (sentAt + receivedAt) / 2;
}

/** The offset the page applies: 0 while within the tolerance, else the estimate (whole ms). */
export function chooseClockOffset(estimate: number | null, current: number): number {
  if (estimate === null) return current;
  return Math.abs(estimate) > CLOCK_SKEW_TOLERANCE_MS ? Math.round(estimate) : 0;
}

/** "3 s", "4 min 12 s", "2 h 5 min": how far the device clock is off. */
export function describeSkew(offsetMs: number): string {
  const seconds = Math.round(Math.abs(offsetMs) / 1000);
  if (seconds < 120) return `${String(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${String(minutes)} min ${String(seconds % 60)} s`;
  return `${String(Math.floor(minutes / 60))} h ${String(minutes % 60)} min`;
}

/**
 * Calls `onTick` now and then at every whole second of `now()`, so codes change exactly at the
 * period boundary (periods are whole seconds). Each timeout is computed from the clock again, so
 * the schedule never drifts the way a `setInterval` does. Returns a function that stops it.
 */
export function startTicker(now: () => number, onTick: (time: number) => void): () => void {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const run = (): void => {
    const time = now();
    onTick(time);
    handle = setTimeout(run, 1000 - (((time % 1000) + 1000) % 1000));
  };
  run();
  return () => {
    clearTimeout(handle);
  };
}
