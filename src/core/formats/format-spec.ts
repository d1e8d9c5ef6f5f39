import type { SqliteLoader } from './decoders/sqlite-database.js';
import type { ImportItem } from './import-item.js';

/**
 * One import file as the CLI or the page read it: the raw bytes (ZIP, SQLite, Java-serialised and PNG
 * files are binary) and, when the bytes are UTF-8 text, the text without a byte-order mark.
 */
export interface ImportSource {
  readonly bytes: Uint8Array;
  readonly text: string | null;
  /** The file's base name, a hint only (`.aes`, `.zip`, `.db`, `.xml`): detection goes by content. */
  readonly fileName: string;
}

/** What an import may be given beside the file. */
export interface ImportOptions {
  /** The export's password, for encrypted exports. */
  readonly password?: string;
  /** How to load sql.js's WebAssembly for database files: the page passes the URL it serves it from. */
  readonly sqlite?: SqliteLoader;
}

/** What parsing one file with one format gave. Expected outcomes are values, never exceptions. */
export type ImportOutcome =
  | {
      readonly kind: 'entries';
      readonly format: string;
      readonly items: readonly ImportItem[];
      /** About the file, not one entry (a missing QR code of a batch). */
      readonly warnings: readonly string[];
    }
  /** The file is encrypted and no password was given: ask for one, then parse again. */
  | { readonly kind: 'password-needed'; readonly format: string }
  /** The password does not open the file (authentication failed): nothing was read. */
  | { readonly kind: 'wrong-password'; readonly format: string }
  /** The file is of this format but cannot be read: what is wrong, and what to do instead. */
  | { readonly kind: 'unsupported'; readonly format: string; readonly message: string };

/**
 * One import format: a cheap check on the content and an asynchronous parser (KDFs take time, and
 * heavy decoders such as sql.js or fflate are imported lazily inside `parse`).
 */
export interface ImportFormatSpec {
  /** The `--format NAME` of the CLI, lower-case with hyphens: `aegis`, `freeotp-plus`. */
  readonly name: string;
  /** For `--list-formats` and the page: `Aegis (JSON, plain or encrypted)`. */
  readonly label: string;
  /** Whether the app writes this format encrypted: never, by choice, or always. */
  readonly encryption: 'none' | 'optional' | 'always';
  /** Whether the content is of this format. Never throws; must not run a KDF or load a decoder. */
  detect(source: ImportSource): boolean;
  parse(source: ImportSource, options: ImportOptions): Promise<ImportOutcome>;
}
