import type { Entry as OtpEntry } from '../core/entry/model.js';
import type { V2Keys } from '../core/v2/keys.js';
import type { WebImportPlan } from './import-entries.js';

/** Where an entry is stored on the server: what a rename or delete must send, and its base revision. */
export type Storage =
  | { readonly protocol: 'v1'; readonly encSecret: string }
  | { readonly protocol: 'v2'; readonly itemId: string; readonly rev: number; readonly envelope: string };

/**
 * One decrypted entry: its parameters (for `entryCode`) and where it is stored. The secret (canonical
 * base32) never leaves the page.
 */
export interface ShownEntry extends OtpEntry {
  /** Unique in the list (`v1:` + enc_secret or `v2:` + item id); the row's `data-key`. */
  readonly key: string;
  readonly storage: Storage;
  /** A v2 entry whose secret and parameters are also stored as a v1 entry (a mixed account): one card. */
  readonly v1Copy?: { readonly encSecret: string };
}

/** What the unlock form yields: the ID is sent as `X-User-Hash`, the key never is. */
export interface Credentials {
  readonly id: string;
  readonly key: Uint8Array<ArrayBuffer>;
}

/** The unlocked session: the credentials and the v2 keys derived from the Secret in the page. */
export interface Session extends Credentials {
  readonly v2: V2Keys;
}

export interface Notice {
  readonly tone: 'error' | 'info';
  readonly text: string;
}

export interface Editing {
  readonly key: string;
  readonly mode: 'rename' | 'delete';
}

/** A previewed import: what would be stored, shown until it is imported or discarded. */
export type ImportPreview = Extract<WebImportPlan, { ok: true }>;

export interface AppState {
  readonly session: Session | null;
  readonly entries: readonly ShownEntry[];
  /** Entries the Secret could not decrypt (shown as a notice, never as rows). */
  readonly undecryptable: number;
  readonly query: string;
  /** Server time minus device time, applied only when the skew is past the tolerance. */
  readonly clockOffsetMs: number;
  readonly notice: Notice | null;
  readonly busy: boolean;
  readonly editing: Editing | null;
  /** Holds plaintext secrets, so Lock (back to `INITIAL_STATE`) drops it like the entries. */
  readonly importPreview: ImportPreview | null;
  /** A new account's recovery kit, shown before anything else; holds the UUID, so Lock drops it. */
  readonly kit: { readonly uuid: string } | null;
  /** An unlock that found nothing stored, waiting for "new account or typo?". */
  readonly emptyCheck: Session | null;
  /** The entries come from this device's offline copy, synced at `syncedAt` (ms); writes are refused. */
  readonly offline: { readonly syncedAt: number } | null;
  /** With `settings.hideCodes`, the key of the one entry whose code is shown. */
  readonly revealed: string | null;
  readonly settings: PageSettings;
}

/** Choices about this device that hold nothing secret (kept in `localStorage` by `page-settings.ts`). */
export interface PageSettings {
  /** Codes show as dots until their card is tapped. */
  readonly hideCodes: boolean;
  /** Minutes without a touch or key before the page locks; 0: never. */
  readonly idleMinutes: number;
  /** Lock as soon as the page is hidden (another tab or app). */
  readonly lockWhenHidden: boolean;
}

export const DEFAULT_SETTINGS: PageSettings = { hideCodes: false, idleMinutes: 5, lockWhenHidden: true };

export const INITIAL_STATE: AppState = {
  session: null,
  entries: [],
  undecryptable: 0,
  query: '',
  clockOffsetMs: 0,
  notice: null,
  busy: false,
  editing: null,
  importPreview: null,
  kit: null,
  emptyCheck: null,
  offline: null,
  revealed: null,
  settings: DEFAULT_SETTINGS,
};

/** The state after a lock: nothing of the session, only the clock correction and the settings stay. */
export function lockedState(state: AppState): AppState {
  return { ...INITIAL_STATE, clockOffsetMs: state.clockOffsetMs, settings: state.settings };
}

export type StateListener = (state: AppState, previous: AppState) => void;

/** The single source of truth of the page: views subscribe, actions update. */
export class AppStore {
  #state: AppState;
  readonly #listeners = new Set<StateListener>();

  constructor(initial: AppState = INITIAL_STATE) {
    this.#state = initial;
  }

  get state(): AppState {
    return this.#state;
  }

  update(patch: Partial<AppState>): void {
    const previous = this.#state;
    this.#state = { ...previous, ...patch };
    for (const listener of this.#listeners) listener(this.#state, previous);
  }

  subscribe(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
