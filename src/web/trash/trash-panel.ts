import { sameCodes } from '../../core/entry/compare.js';
import type { Entry as OtpEntry } from '../../core/entry/model.js';
import type { PageContext } from '../controls/page-context.js';
import { el, requireElement } from '../views/dom.js';
import { loadRecord, onTrashChange, saveRecord, TRASH_DAYS, type TrashItem, type TrashPlace } from './trash-store.js';
import { openHeld } from './v2-listing.js';

/**
 * "Recently deleted" (a lazy chunk with the session panels): what left the list in the last 30 days,
 * newest first, with its name once decrypted here, when and why; Restore stores it again as a new v2
 * item (the normal write path), Empty drops every envelope after a confirmation. Element ids:
 * `trash-section`, `trash-count`, `trash-none`, `trash-list` (one `li` per item, its `data-item`),
 * `trash-empty`, `trash-empty-confirm`, `trash-empty-yes`, `trash-empty-no`.
 */
export function wireTrashPanel(context: PageContext, place: () => TrashPlace): { render(): void } {
  const { store } = context;
  const section = buildSection();
  requireElement('device-section', HTMLElement).before(section);
  const list = requireElement('trash-list', HTMLUListElement);
  const none = requireElement('trash-none', HTMLElement);
  const count = requireElement('trash-count', HTMLElement);
  const emptyButton = requireElement('trash-empty', HTMLButtonElement);
  const confirm = requireElement('trash-empty-confirm', HTMLElement);
  let drawn = 0;

  async function draw(): Promise<void> {
    const generation = ++drawn;
    const { session } = store.state;
    section.hidden = session === null;
    if (session === null) {
      list.replaceChildren();
      confirm.hidden = true;
      return;
    }
    const { trash } = await loadRecord(session.id, place(), Date.now());
    const rows = await Promise.all(
      [...trash]
        .reverse()
        .map(async (item) => ({ item, entry: await openHeld(session.v2.envelopeKey, session.id, item) })),
    );
    if (generation !== drawn) return;
    list.replaceChildren(...rows.map(({ item, entry }) => row(item, entry)));
    none.hidden = rows.length > 0;
    emptyButton.hidden = rows.length === 0;
    if (rows.length === 0) confirm.hidden = true;
    count.textContent = rows.length > 0 ? `(${String(rows.length)})` : '';
  }

  function row(item: TrashItem, entry: OtpEntry | null): HTMLLIElement {
    const when = new Date(item.removedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    const name = entry === null ? 'An entry this Secret cannot open' : entry.name?.trim() ? entry.name : 'Unnamed';
    const restore = el('button', { text: 'Restore', className: 'secondary', attributes: { type: 'button' } });
    restore.setAttribute('aria-label', `Restore ${name}`);
    restore.disabled = entry === null;
    restore.addEventListener('click', () => {
      if (entry !== null) void restoreItem(item, entry, name);
    });
    return el(
      'li',
      { attributes: { 'data-item': item.itemId } },
      el('span', { className: 'entry-name', text: name }),
      el('span', { className: 'hint', text: ` ${item.why}, ${when} ` }),
      restore,
    );
  }

  async function restoreItem(item: TrashItem, entry: OtpEntry, name: string): Promise<void> {
    const { session } = store.state;
    if (session === null || store.state.busy) return;
    const already = store.state.entries.some((shown) => sameCodes(shown, entry));
    if (!already && (await context.actions.addEntries([entry])) !== 1) return;
    const record = await loadRecord(session.id, place(), Date.now());
    const trash = record.trash.filter((kept) => !(kept.itemId === item.itemId && kept.removedAt === item.removedAt));
    await saveRecord(session.id, place(), { ...record, trash });
    const text = already
      ? `“${name}” is already in the list; removed it from Recently deleted.`
      : `Restored “${name}”.`;
    store.update({ notice: { tone: 'info', text } });
  }

  emptyButton.addEventListener('click', () => {
    confirm.hidden = false;
  });
  requireElement('trash-empty-no', HTMLButtonElement).addEventListener('click', () => {
    confirm.hidden = true;
  });
  requireElement('trash-empty-yes', HTMLButtonElement).addEventListener('click', () => {
    const { session } = store.state;
    if (session === null) return;
    confirm.hidden = true;
    void loadRecord(session.id, place(), Date.now()).then((record) =>
      saveRecord(session.id, place(), { ...record, trash: [] }),
    );
  });
  onTrashChange(() => void draw());
  return { render: () => void draw() };
}

function buildSection(): HTMLElement {
  const button = (id: string, text: string, className: string): HTMLButtonElement =>
    el('button', { text, className, attributes: { id, type: 'button' } });
  return el(
    'section',
    { className: 'card', attributes: { id: 'trash-section', 'aria-labelledby': 'trash-heading', hidden: '' } },
    el(
      'h2',
      { text: 'Recently deleted ', attributes: { id: 'trash-heading' } },
      el('span', { className: 'count', attributes: { id: 'trash-count' } }),
    ),
    el('p', {
      className: 'hint',
      text:
        `What was deleted here or on another device in the last ${String(TRASH_DAYS)} days, kept on this ` +
        'device still encrypted (only while it is remembered, else until this tab closes). Restore stores it again.',
    }),
    el('p', { className: 'hint', text: 'Nothing was deleted recently.', attributes: { id: 'trash-none' } }),
    el('ul', { attributes: { id: 'trash-list' } }),
    el('div', { className: 'buttons' }, button('trash-empty', 'Empty Recently deleted', 'secondary')),
    el(
      'div',
      {
        className: 'confirm-box',
        attributes: { id: 'trash-empty-confirm', role: 'group', 'aria-labelledby': 'trash-empty-text', hidden: '' },
      },
      el('p', {
        text: 'Empty Recently deleted? The entries in it cannot be brought back from this device afterwards.',
        attributes: { id: 'trash-empty-text' },
      }),
      el(
        'div',
        { className: 'buttons' },
        button('trash-empty-yes', 'Empty it', 'danger'),
        button('trash-empty-no', 'Keep them', 'secondary'),
      ),
    ),
  );
}
