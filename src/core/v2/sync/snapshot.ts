import type { MergeInput, RemoteItem } from './types.js';

/** What a server's snapshot shows against what this device remembers (used by merge.ts). */

/** Whether the server shows an item older than this device's copy, or (listing everything) lacks one. */
export function showsOlderState({ state, remote }: MergeInput): boolean {
  const known = (id: string): number | undefined => state.items[id]?.rev ?? state.deletions[id];
  if (remote.items.some((item) => item.rev < (known(item.id) ?? 0))) return true;
  if (!remote.full) return false;
  const present = new Set([...remote.items, ...remote.failures].map((item) => item.id));
  return [...Object.keys(state.items), ...Object.keys(state.deletions)].some((id) => !present.has(id));
}

/** Each id once, at its latest change, in sequence order. */
export function latestById(items: readonly RemoteItem[]): RemoteItem[] {
  const latest = new Map<string, RemoteItem>();
  for (const item of items) {
    const seen = latest.get(item.id);
    // The same rule as open.ts `latestById`: the highest seq, and of equal ones the later answer.
    if (seen === undefined || item.seq >= seen.seq) latest.set(item.id, item);
  }
  return [...latest.values()].sort((a, b) => a.seq - b.seq);
}
