import type { CliDeps } from './cli-deps.js';
import { resolveVaultDir } from './cli-config.js';
import type { Prompter } from './prompt-io.js';

/** What every command receives: the injected process, output helpers and lazily made services. */
export interface CommandContext {
  readonly deps: CliDeps;
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr (warnings, prompts, progress). */
  err(text: string): void;
  /** The vault directory (`OPEN2FA_DIR` or `~/.open2fa`). */
  vaultDir(): string;
  /** The one prompter of this run, created on first use (it reads stdin, which cannot be shared). */
  prompter(): Promise<Prompter>;
}

/** A context plus the cleanup `runCli` calls when the command is done. */
export interface OwnedContext extends CommandContext {
  close(): void;
}

export function createContext(deps: CliDeps): OwnedContext {
  let prompter: Prompter | undefined;
  return {
    deps,
    out: (text) => {
      deps.stdout.write(text);
    },
    err: (text) => {
      deps.stderr.write(text);
    },
    vaultDir: () => resolveVaultDir(deps.env, deps.cwd),
    prompter: async () => {
      if (prompter === undefined) {
        // Imported on demand: readline is needed only by commands that ask something.
        const { Prompter } = await import('./prompt-io.js');
        prompter = new Prompter(deps);
      }
      return prompter;
    },
    close: () => {
      prompter?.close();
    },
  };
}
