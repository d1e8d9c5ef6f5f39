/**
 * Android's SharedPreferences files (`shared_prefs/*.xml`), which several apps keep their tokens in:
 * a `<map>` of typed values, `<string name="key">text</string>` for text. Only the text values are
 * read; `<set>` members and other types are skipped. A regular-expression reader, not a general XML
 * parser: the files are written by Android's `XmlUtils`, always in this one shape.
 *
 * @returns the text values by name, in file order, or `null` when the text is not such a file
 */
export function parseSharedPrefs(text: string): Map<string, string> | null {
  const body = /^\s*(?:<\?xml[^>]*\?>\s*)?<map\s*>([\s\S]*)<\/map>\s*$/.exec(text)?.[1];
  if (body === undefined) {
    return /^\s*(?:<\?xml[^>]*\?>\s*)?<map\s*\/>\s*$/.test(text) ? new Map() : null;
  }
  const values = new Map<string, string>();
  const withoutSets = body.replace(/<set\b[^>]*>[\s\S]*?<\/set>/g, '');
  const element = /<string\s+name\s*=\s*(?:"([^"]*)"|'([^']*)')\s*(?:\/>|>([\s\S]*?)<\/string>)/g;
  for (const match of withoutSets.matchAll(element)) {
    const name = decodeEntities(match[1] ?? match[2] ?? '');
    if (name === null) return null;
    const value = decodeEntities(match[3] ?? '');
    if (value === null) return null;
    values.set(name, value);
  }
  return values;
}

/** Whether the text is a SharedPreferences file holding a text value of this name. Cheap: no parse. */
export function hasSharedPref(text: string | null, name: string): boolean {
  return text !== null && /^\s*(?:<\?xml[^>]*\?>\s*)?<map\b/.test(text) && text.includes(`name="${name}"`);
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character and entity references (XML 1.0 §4.1); an unknown or invalid one makes the file damaged. */
function decodeEntities(text: string): string | null {
  const state = { damaged: false };
  const decoded = text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);?/g, (whole, reference: string) => {
    if (!whole.endsWith(';')) state.damaged = true;
    if (reference.startsWith('#')) {
      const code = reference.startsWith('#x') ? parseInt(reference.slice(2), 16) : parseInt(reference.slice(1), 10);
      if (code > 0x10ffff) {
        state.damaged = true;
        return '';
      }
      return String.fromCodePoint(code);
    }
    const named = NAMED[reference];
    if (named === undefined) state.damaged = true;
    return named ?? '';
  });
  return state.damaged ? null : decoded;
}
