import type { CliDeps } from './cli-deps.js';
import { pickSettings, readCliSettings, type CliSettings, type SettingsReading } from './cli-settings.js';
import type { Prompter } from './terminal/prompt-io.js';
import type { VaultLocker } from './vault/vault-lock.js';

/** What every command receives: the injected process, output helpers and lazily made services. */
export interface CommandContext {
  readonly deps: CliDeps;
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr (warnings, prompts, progress). */
  err(text: string): void;
  /** The settings this command uses; a problem in any of them is an `invalid_env` failure naming them all. */
  settings<K extends keyof CliSettings>(...keys: K[]): Pick<CliSettings, K>;
  /** The vault directory (`OPEN2FA_DIR` or `~/.open2fa`). */
  vaultDir(): string;
  /** Runs `work` under the vault lock of `dir`, telling the person when it has to wait for another command. */
  readonly lockVault: VaultLocker;
  /** The one prompter of this run, created on first use (it reads stdin, which cannot be shared). */
  prompter(): Promise<Prompter>;
}

/** A context plus the cleanup `runCli` calls when the command is done. */
export interface OwnedContext extends CommandContext {
  close(): void;
}

export function createContext(deps: CliDeps): OwnedContext {
  let prompter: Prompter | undefined;
  let reading: SettingsReading | undefined;
  const settings = <K extends keyof CliSettings>(...keys: K[]): Pick<CliSettings, K> => {
    reading ??= readCliSettings(deps.env, deps.cwd);
    return pickSettings(reading, keys);
  };
  const err = (text: string): void => {
    deps.stderr.write(text);
  };
  return {
    deps,
    out: (text) => {
      deps.stdout.write(text);
    },
    err,
    settings,
    vaultDir: () => settings('vaultDir').vaultDir,
    lockVault: async (dir, work) => {
      // Imported on demand: `list` and `generate` never write and stay fast without the lock.
      const { withVaultLock } = await import('./vault/vault-lock.js');
      return withVaultLock(dir, work, {
        onWait: (lockPath) => {
          err(`Waiting for another open2fa command to finish (${lockPath} is held)…\n`);
        },
      });
    },
    prompter: async () => {
      if (prompter === undefined) {
        // Imported on demand: readline is needed only by commands that ask something.
        const { Prompter } = await import('./terminal/prompt-io.js');
        prompter = new Prompter(deps);
      }
      return prompter;
    },
    close: () => {
      prompter?.close();
    },
  };
}
