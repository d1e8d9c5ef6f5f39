/** One decrypted entry. `secret` is canonical base32 and never leaves the page. */
export interface Entry {
  readonly encSecret: string;
  readonly name: string | null;
  readonly secret: string;
}

/** The credentials of the unlocked session: the ID is sent as `X-User-Hash`, the key never is. */
export interface Session {
  readonly id: string;
  readonly key: Uint8Array<ArrayBuffer>;
}

export interface Notice {
  readonly tone: 'error' | 'info';
  readonly text: string;
}

export interface Editing {
  readonly encSecret: string;
  readonly mode: 'rename' | 'delete';
}

export interface AppState {
  readonly session: Session | null;
  readonly entries: readonly Entry[];
  /** Entries the Secret could not decrypt (shown as a notice, never as rows). */
  readonly undecryptable: number;
  readonly query: string;
  /** Server time minus device time, applied only when the skew is past the tolerance. */
  readonly clockOffsetMs: number;
  readonly notice: Notice | null;
  readonly busy: boolean;
  readonly editing: Editing | null;
}

export const INITIAL_STATE: AppState = {
  session: null,
  entries: [],
  undecryptable: 0,
  query: '',
  clockOffsetMs: 0,
  notice: null,
  busy: false,
  editing: null,
};

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
