import { type Entry } from '../../../../src/core/entry/model.js';

/**
 * One file of one import format, built by the tests from the app's public format description, and
 * what every reader of it must find: the core registry (test/core/formats/every-format.test.ts),
 * `open2fa import` (test/cli/commands/import-every-format.test.ts) and the page in Chromium
 * (test/web/web-import-formats.test.ts) check the same `expected` list.
 */
export interface FormatCase {
  /** The registry name the file must be detected as (`--format NAME`). */
  readonly format: string;
  /** Which variant of the format this file is: `encrypted (scrypt, AES-GCM)`. */
  readonly variant: string;
  /** The name the app gives the file (a hint only: detection goes by content). */
  readonly fileName: string;
  /** The export's password, for encrypted files; absent for plain ones. */
  readonly password?: string;
  /** The file's content: text is written as UTF-8. */
  file(): Promise<string | Uint8Array>;
  /** Every entry the file holds, in file order, with every parameter. */
  readonly expected: readonly Entry[];
  /** The labels of the entries the reader must refuse (a kind open2fa has not), in file order. */
  readonly refused?: readonly string[];
}
