import { sameCodes } from '../core/entry/compare.js';
import { type Entry } from '../core/entry/model.js';
import { detectFormat } from '../core/formats/format-registry.js';
import type { ImportOptions, ImportSource } from '../core/formats/format-spec.js';
import type { ImportItem } from '../core/formats/import-item.js';

/** What the page does with one entry of a pasted or chosen import. */
export type WebImportRow =
  | { readonly status: 'add'; readonly label: string; readonly entry: Entry }
  | { readonly status: 'duplicate' | 'needs-v2' | 'invalid'; readonly label: string; readonly detail: string };

export type WebImportPlan =
  | {
      readonly ok: true;
      readonly format: string;
      readonly rows: readonly WebImportRow[];
      readonly warnings: readonly string[];
    }
  /** `password`: the file is encrypted and needs one (`needed`), or the one given did not open it (`wrong`). */
  | { readonly ok: false; readonly message: string; readonly password?: 'needed' | 'wrong' };

// Set by scripts/build-web.mjs (esbuild `define`) to the fingerprinted URL of sql.js's WebAssembly;
// absent when the module runs unbundled (in Node, where sql.js finds its own file).
declare const OPEN2FA_SQL_WASM_URL: string | undefined;

/** How the page's sql.js finds its WebAssembly: the copy the build put beside the page's assets. */
export function sqliteLoader(): ImportOptions['sqlite'] {
  if (typeof OPEN2FA_SQL_WASM_URL !== 'string') return undefined;
  const url = OPEN2FA_SQL_WASM_URL;
  return { locateFile: () => url };
}

/**
 * Plans a web import of pasted URIs or a chosen file (a QR image is decoded to text first), through
 * the same format registry as the CLI. An encrypted file comes back as `password: 'needed'` until a
 * password is given. `storesParameters` is false while the page stores through the v1 API, which
 * holds only a secret and a name: entries needing other parameters (HOTP, Steam, SHA256/512, 7–8
 * digits, another period) are then listed as `needs-v2` instead of being stored with wrong codes.
 */
export async function planWebImport(
  source: ImportSource,
  stored: readonly Entry[],
  options: { readonly storesParameters: boolean; readonly password?: string },
): Promise<WebImportPlan> {
  const spec = detectFormat(source);
  if (spec === undefined) {
    return {
      ok: false,
      message:
        'This cannot be imported: its format is not one open2fa reads (otpauth:// links, transfer links, or the export of an authenticator app).',
    };
  }
  const sqlite = sqliteLoader();
  const outcome = await spec.parse(source, {
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(sqlite === undefined ? {} : { sqlite }),
  });
  switch (outcome.kind) {
    case 'password-needed':
      return { ok: false, password: 'needed', message: `This ${spec.label} file is encrypted: enter its password.` };
    case 'wrong-password':
      return {
        ok: false,
        password: 'wrong',
        message: `That password does not open this ${spec.label} file (or the file was changed). Nothing was imported.`,
      };
    case 'unsupported':
      return { ok: false, message: `This cannot be imported: ${outcome.message}.` };
    case 'entries':
      return {
        ok: true,
        format: spec.label,
        rows: planRows(outcome.items, stored, options.storesParameters),
        warnings: outcome.warnings,
      };
  }
}

function planRows(items: readonly ImportItem[], stored: readonly Entry[], storesParameters: boolean): WebImportRow[] {
  const accepted: Entry[] = [];
  return items.map((item): WebImportRow => {
    if (!item.ok) return { status: 'invalid', label: item.label, detail: item.problem };
    const entry = item.entry;
    if (!storesParameters && !isPlainTotp(entry)) {
      return {
        status: 'needs-v2',
        label: item.label,
        detail:
          'its parameters need protocol v2 (the web UI stores SHA1, 6 digits, 30 s TOTP only); import it with the CLI',
      };
    }
    if ([...stored, ...accepted].some((known) => sameCodes(known, entry))) {
      return { status: 'duplicate', label: item.label, detail: 'already stored' };
    }
    accepted.push(entry);
    return { status: 'add', label: item.label, entry };
  });
}

/** The only kind of entry the legacy v1 store can hold without changing its codes. */
export function isPlainTotp(entry: Entry): boolean {
  return entry.type === 'totp' && entry.algorithm === 'SHA1' && entry.digits === 6 && entry.period === 30;
}
