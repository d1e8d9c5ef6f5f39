import { sameCodes } from '../../core/entry/compare.js';
import { type Entry as OtpEntry } from '../../core/entry/model.js';
import { randomItemId } from '../../core/v2/item-id.js';
import { displayName } from '../entries.js';
import { parseNewEntry } from '../new-entry.js';
import { begin, fail, type ActionContext } from './action-context.js';
import { writeV2 } from './v2-write.js';

/** Adds an entry (a base32 secret or an otpauth link) as a new v2 item; a stored duplicate is refused. */
export async function add(context: ActionContext, input: string, nameText: string): Promise<boolean> {
  const parsed = parseNewEntry(input);
  if (!parsed.ok) return fail(context, parsed.message);
  const name = nameText.trim() || parsed.entry.name;
  const entry: OtpEntry = { ...parsed.entry, name };
  const existing = context.store.state.entries.find((candidate) => sameCodes(candidate, entry));
  if (existing !== undefined) {
    return fail(context, `This secret is already stored as “${displayName(existing)}”. Use Rename to change its name.`);
  }
  const open = begin(context);
  if (open === null) return false;
  return writeV2(context, open.session, randomItemId(), 0, entry, `Added “${displayName({ name })}”.`);
}
