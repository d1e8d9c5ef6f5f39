import type { Readable } from 'node:stream';

/** The little of a writable stream the CLI needs, so tests can pass a string collector. */
export interface TextOutput {
  write(text: string): unknown;
}

/** The input stream; `setRawMode` exists only on a terminal (readline uses it for hidden input). */
export type TextInput = Readable & { setRawMode?: (mode: boolean) => unknown };

/** One program that may put text on the clipboard, e.g. `xclip -selection clipboard`. */
export interface ClipboardCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Everything the CLI takes from its process, injected so the program runs in-process in tests with
 * a fixed clock, private streams and its own environment. `main.ts` wires the real ones.
 */
export interface CliDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  readonly stdin: TextInput;
  /** Whether stdin is a terminal: decides between hidden prompts and reading lines. */
  readonly stdinIsTTY: boolean;
  /** Whether stdout is a terminal: decides between live redrawing and plain frames. */
  readonly isTTY: boolean;
  /** Current terminal size; read on every frame so a resized terminal is followed. */
  readonly columns: () => number | undefined;
  readonly rows: () => number | undefined;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly fetch: typeof globalThis.fetch;
  /** Resolves after the time, or as soon as `signal` aborts (it never rejects). */
  readonly sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  /** Registers a Ctrl+C handler for the duration of a live command; returns its remover. */
  readonly onInterrupt: (handler: () => void) => () => void;
  /** Clipboard programs to try in order; defaults to the usual ones of each platform. */
  readonly clipboardCommands?: readonly ClipboardCommand[];
  /** Working directory that a relative `OPEN2FA_DIR` is resolved against. */
  readonly cwd: string;
}
