import { expect } from 'vitest';
import type { Entry } from '../../../src/core/entry/model.js';
import type { ImportFormatSpec, ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { detectImport, type UnknownFormat } from '../../../src/core/formats/format-registry.js';
import type { ImportItem } from '../../../src/core/formats/import-item.js';
import { importSource } from '../../../src/core/formats/import-source.js';

/** A file's content as the CLI reads it: text is UTF-8 encoded, bytes are taken as they are. */
export function fileBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

/**
 * Detects and parses a file through the registry, checking that `spec` is the format detected and
 * that asking without a password for an encrypted one gives `password-needed` first.
 */
export async function importFile(
  spec: ImportFormatSpec,
  content: string | Uint8Array,
  options: { readonly password?: string; readonly fileName?: string } = {},
): Promise<ImportOutcome | UnknownFormat> {
  const source = importSource(fileBytes(content), options.fileName ?? '');
  return detectImport(source, options.password === undefined ? {} : { password: options.password });
}

/** The items of an `entries` outcome of the given format; anything else fails the test. */
export function itemsOf(outcome: ImportOutcome | UnknownFormat, format: string): readonly ImportItem[] {
  expect(outcome).toMatchObject({ kind: 'entries', format });
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  return outcome.items;
}

export function okEntries(items: readonly ImportItem[]): Entry[] {
  return items.map((item) => {
    if (!item.ok) throw new Error(`${item.label}: ${item.problem}`);
    return item.entry;
  });
}

export function problems(items: readonly ImportItem[]): [string, string][] {
  return items.flatMap((item) => (item.ok ? [] : [[item.label, item.problem] as [string, string]]));
}

/** `expect.stringMatching`, typed as the string it stands for. */
export function like(pattern: RegExp): string {
  return expect.stringMatching(pattern) as string;
}
