import { entryCode } from '../../core/entry/codes.js';
import { totpCounter, totpSecondsRemaining } from '../../core/otp/otp.js';
import type { AppState, Editing, ShownEntry } from '../app-state.js';
import { displayName, filterEntries, groupCode } from '../entries.js';
import { el } from './dom.js';

interface Row {
  readonly entry: ShownEntry;
  readonly code: HTMLButtonElement;
  readonly seconds: HTMLElement;
  readonly bar: HTMLProgressElement;
  /** The time step (or HOTP counter) the shown code is for; -1 before the first tick. */
  counter: number;
}

/**
 * The list of entries. `render` rebuilds rows only when entries, the search or the editing row
 * change; `tick` touches just the code and countdown texts, once a second.
 */
export class EntriesView {
  readonly #list: HTMLUListElement;
  readonly #empty: HTMLElement;
  readonly #count: HTMLElement;
  #rows: Row[] = [];
  #shown: {
    entries: readonly ShownEntry[];
    query: string;
    editing: Editing | null;
    hideCodes: boolean;
    revealed: string | null;
  } | null = null;

  constructor(list: HTMLUListElement, empty: HTMLElement, count: HTMLElement) {
    this.#list = list;
    this.#empty = empty;
    this.#count = count;
  }

  render(state: AppState, time: number): void {
    const shown = this.#shown;
    const hideCodes = state.settings.hideCodes;
    if (
      shown?.entries === state.entries &&
      shown.query === state.query &&
      shown.editing === state.editing &&
      shown.hideCodes === hideCodes &&
      shown.revealed === state.revealed
    )
      return;
    this.#shown = {
      entries: state.entries,
      query: state.query,
      editing: state.editing,
      hideCodes,
      revealed: state.revealed,
    };
    const visible = filterEntries(state.entries, state.query);
    this.#rows = [];
    const items = visible.map((entry) => this.#buildRow(entry, state.editing));
    this.#list.replaceChildren(...items);
    this.#empty.hidden = visible.length > 0;
    this.#empty.textContent =
      state.entries.length === 0 ? 'No entries yet: add one below.' : `No entry matches “${state.query.trim()}”.`;
    this.#count.textContent =
      visible.length === state.entries.length
        ? plural(state.entries.length, 'entry', 'entries')
        : `${String(visible.length)} of ${plural(state.entries.length, 'entry', 'entries')}`;
    this.tick(time);
  }

  tick(time: number): void {
    for (const row of this.#rows) {
      const { entry } = row;
      // HOTP codes follow the saved counter, not the clock (the "Next code" button moves it).
      const counter = entry.type === 'hotp' ? entry.counter : totpCounter(entry.period, time);
      if (row.counter !== counter) {
        row.counter = counter;
        if (this.#masked(entry)) {
          // Hidden until tapped (a setting): the code is not in the page at all, only its shape.
          row.code.textContent = entry.digits === 8 ? '•••• ••••' : '••• •••';
          row.code.setAttribute('aria-label', `Show the code for ${displayName(entry)}`);
        } else {
          const code = groupCode(entryCode(entry, time));
          row.code.textContent = code;
          row.code.setAttribute('aria-label', `${code}: copy the code for ${displayName(entry)}`);
        }
      }
      if (entry.type === 'hotp') continue;
      const seconds = totpSecondsRemaining(entry.period, time);
      row.seconds.textContent = `${String(seconds)} s`;
      row.bar.value = seconds;
      row.bar.classList.toggle('ending', seconds <= 5);
    }
  }

  #masked(entry: ShownEntry): boolean {
    return this.#shown?.hideCodes === true && this.#shown.revealed !== entry.key;
  }

  /** Marks a row as just copied (a visible confirmation inside the card, never over a button). */
  markCopied(key: string): void {
    const item = [...this.#list.children].find((node) => node instanceof HTMLElement && node.dataset.key === key);
    if (!(item instanceof HTMLElement)) return;
    item.classList.add('copied');
    setTimeout(() => {
      item.classList.remove('copied');
    }, 2500);
  }

  /** Moves focus into a row after it was rebuilt (keyboard users keep their place). */
  focus(key: string, target: 'code' | 'rename' | 'field' | 'qr'): void {
    const item = [...this.#list.children].find((node) => node instanceof HTMLElement && node.dataset.key === key);
    const selector = {
      code: '.code',
      rename: '[data-action="rename"]',
      qr: '[data-action="qr"]',
      field: 'input, [data-action="confirm-delete"]',
    }[target];
    const node = item?.querySelector(selector);
    if (node instanceof HTMLElement) node.focus();
  }

  #buildRow(entry: ShownEntry, editing: Editing | null): HTMLLIElement {
    const name = displayName(entry);
    const code = el('button', { className: 'code', attributes: { type: 'button', 'data-action': 'copy' } });
    const hotp = entry.type === 'hotp';
    const seconds = el('span', { className: 'seconds', ...(hotp ? { text: `counter ${String(entry.counter)}` } : {}) });
    const bar = el('progress', { attributes: { max: String(entry.period), 'aria-hidden': 'true' } });
    bar.hidden = hotp;
    this.#rows.push({ entry, code, seconds, bar, counter: -1 });
    // DOM order is reading order: name, countdown, then the code (the main action), then edits. Only the
    // buttons take focus, so Tab goes code, then the edits (docs/web.md, "Accessible").
    const item = el(
      'li',
      { className: entry.name?.trim() ? 'entry' : 'entry unnamed' },
      el('h3', { className: 'entry-name', text: name, attributes: { title: name } }),
      el(
        'span',
        {
          className: 'countdown',
          attributes: { title: hotp ? 'The counter of this code' : 'Seconds until the next code' },
        },
        bar,
        seconds,
      ),
      // The code and the buttons share a line while they fit; the buttons wrap below on narrow cards.
      el(
        'div',
        { className: 'entry-main' },
        code,
        el(
          'div',
          { className: 'entry-actions' },
          entry.storage.protocol === 'v1' || entry.v1Copy !== undefined
            ? el('span', { className: 'badge', text: 'v1', attributes: { title: 'Stored in the legacy v1 format' } })
            : null,
          // Both badges: the same secret is stored as v1 (for 1.x clients) and v2; one card acts on both.
          entry.v1Copy === undefined
            ? null
            : el('span', { className: 'badge', text: 'v2', attributes: { title: 'Also stored as a v2 item' } }),
          hotp ? actionButton('Next code', 'next-code', `Next code for ${name}`) : null,
          actionButton('QR', 'qr', `Show the QR code of ${name}`),
          actionButton('Rename', 'rename', `Rename ${name}`),
          actionButton('Delete', 'delete', `Delete ${name}`, 'danger'),
        ),
      ),
      editing?.key === entry.key ? buildEditor(entry, editing.mode) : null,
    );
    item.dataset.key = entry.key;
    return item;
  }
}

function actionButton(text: string, action: string, label: string, extra = ''): HTMLButtonElement {
  return el('button', {
    className: `small ${extra}`.trim(),
    text,
    attributes: { type: 'button', 'data-action': action, 'aria-label': label },
  });
}

function buildEditor(entry: ShownEntry, mode: Editing['mode']): HTMLElement {
  if (mode === 'delete') {
    return el(
      'div',
      { className: 'editor confirm', attributes: { role: 'group', 'aria-label': 'Confirm deletion' } },
      el('p', { text: `Delete “${displayName(entry)}” from the server? Its codes will be gone from every device.` }),
      el('button', {
        className: 'danger',
        text: 'Delete for good',
        attributes: { type: 'button', 'data-action': 'confirm-delete' },
      }),
      el('button', { className: 'secondary', text: 'Cancel', attributes: { type: 'button', 'data-action': 'cancel' } }),
    );
  }
  const inputId = `rename-${entry.key.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24)}`;
  const input = el('input', {
    attributes: { id: inputId, name: 'name', maxlength: '255', autocomplete: 'off', spellcheck: 'false' },
  });
  input.value = entry.name ?? '';
  return el(
    'form',
    { className: 'editor rename-form', attributes: { 'data-action': 'rename-submit' } },
    el('label', { text: 'New name', attributes: { for: inputId } }),
    input,
    el('button', { text: 'Save', attributes: { type: 'submit' } }),
    el('button', { className: 'secondary', text: 'Cancel', attributes: { type: 'button', 'data-action': 'cancel' } }),
  );
}

function plural(count: number, one: string, many: string): string {
  return `${String(count)} ${count === 1 ? one : many}`;
}
