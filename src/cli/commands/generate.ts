import type { CommandContext } from '../command-context.js';
import { CliError } from '../cli-error.js';
import { matchesText } from '../vault/entry-match.js';
import { codeJson, codeOf } from '../output/entry-codes.js';
import { renderFrame, secondsLeft, type CodeRow } from '../output/generate-frame.js';
import { compareNames } from '../output/text-format.js';
import { loadVault, type SecretEntry } from '../vault/vault-store.js';
import { InvalidArgumentError } from 'commander';
import type { CliCommand } from './command-module.js';

export const command = {
  description: 'show the current codes, live (Ctrl+C to exit)',
  examples: ['open2fa generate -n git', 'open2fa generate -r 1'],
  options: (command) =>
    command
      .option('-n, --name <text>', 'only entries whose name, issuer or account contains this text (any case)')
      .option('-r, --repeat <count>', 'show this many frames, then exit', parsePositiveInteger)
      .option('-d, --delay <seconds>', 'seconds between frames', parseDelay, 0.5)
      .option('--json', 'print each frame as one JSON line (one frame unless -r)', false),
  run: (context, options: { name?: string; repeat?: number; delay: number; json: boolean }) =>
    runGenerate(context, { name: options.name, repeat: options.repeat, delay: options.delay, json: options.json }),
} satisfies CliCommand;

export interface GenerateOptions {
  /** Case-insensitive part of the name, issuer or account. */
  readonly name: string | undefined;
  /** Frames to show; unset means until Ctrl+C (one frame with `--json`). */
  readonly repeat: number | undefined;
  /** Seconds between frames. */
  readonly delay: number;
  readonly json: boolean;
}

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const CLEAR_BELOW = '\u001b[J';

/**
 * `open2fa generate`: a table of current codes. On a terminal it redraws in place and Ctrl+C ends it
 * cleanly (exit 0, cursor restored); otherwise each frame is printed plainly, one after the other.
 */
async function runGenerate(context: CommandContext, options: GenerateOptions): Promise<void> {
  const entries = await selectEntries(context, options.name);
  if (entries.length === 0) {
    context.out('No secrets stored yet. Add one with: open2fa add SECRET NAME\n');
    return;
  }
  const live = context.deps.isTTY && !options.json;
  const repeat = options.repeat ?? (options.json ? 1 : Infinity);
  let previousLines = 0;
  const draw = (): void => {
    const now = context.deps.now();
    if (options.json) {
      context.out(`${JSON.stringify(jsonFrame(entries, now))}\n`);
      return;
    }
    const lines = renderFrame(codeRows(entries, now), { columns: context.deps.columns(), rows: context.deps.rows() });
    const prefix = !live ? (previousLines > 0 ? '\n' : '') : previousLines > 0 ? cursorUp(previousLines) : '';
    context.out(`${prefix}${lines.join('\n')}\n`);
    previousLines = lines.length;
  };
  if (live) context.out(`${HIDE_CURSOR}Press Ctrl+C to exit.\n\n`);
  try {
    await repeatUntilInterrupted(context, repeat, options.delay * 1000, draw);
  } finally {
    if (live) context.out(SHOW_CURSOR);
  }
}

/** Calls `draw` `times` times, `delayMs` apart, stopping early and quietly on Ctrl+C. */
async function repeatUntilInterrupted(
  context: CommandContext,
  times: number,
  delayMs: number,
  draw: () => void,
): Promise<void> {
  const interrupted = new AbortController();
  const stopped = (): boolean => interrupted.signal.aborted;
  const removeHandler = context.deps.onInterrupt(() => {
    interrupted.abort();
  });
  try {
    for (let frame = 0; frame < times && !stopped(); frame += 1) {
      if (frame > 0) await context.deps.sleep(delayMs, interrupted.signal);
      if (!stopped()) draw();
    }
  } finally {
    removeHandler();
  }
}

async function selectEntries(context: CommandContext, filter: string | undefined): Promise<SecretEntry[]> {
  const vault = await loadVault(context.vaultDir());
  const sorted = [...vault.entries].sort((a, b) => compareNames(a.name, b.name));
  if (filter === undefined) return sorted;
  const matching = sorted.filter((entry) => matchesText(entry, filter));
  if (matching.length === 0) {
    throw new CliError('not_found', `no stored secret's name, issuer or account contains "${filter}"`);
  }
  return matching;
}

function codeRows(entries: readonly SecretEntry[], now: number): CodeRow[] {
  return entries.map((entry) => ({
    name: entry.name,
    code: codeOf(entry, now),
    secondsLeft: entry.type === 'hotp' ? null : secondsLeft(now, entry.period > 0 ? entry.period : 30),
    counter: entry.counter,
  }));
}

function jsonFrame(entries: readonly SecretEntry[], now: number): object[] {
  return entries.map((entry) => codeJson(entry, now));
}

function cursorUp(lines: number): string {
  return `\u001b[${String(lines)}F${CLEAR_BELOW}`;
}

function parsePositiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1.');
  }
  return value;
}

function parseDelay(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 3600) {
    throw new InvalidArgumentError('expected seconds from 0 to 3600, e.g. 0.5.');
  }
  return value;
}
