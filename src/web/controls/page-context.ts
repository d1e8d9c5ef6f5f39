import type { Actions } from '../actions/index.js';
import type { AppStore } from '../app-state.js';
import type { EntriesView } from '../views/entries-view.js';
import type { PageView } from '../views/page-view.js';

/** What every group of controls shares: the one store, the actions, the views and the corrected clock. */
export interface PageContext {
  readonly store: AppStore;
  readonly actions: Actions;
  readonly page: PageView;
  readonly list: EntriesView;
  /** The current time, corrected by the server's clock. */
  readonly now: () => number;
}
