import type { ClipboardCommand } from '../cli-deps.js';

/** Tried in order; the first that exists and succeeds wins (Wayland, X11, macOS, Windows/WSL). */
export const DEFAULT_CLIPBOARD_COMMANDS: readonly ClipboardCommand[] = [
  { command: 'wl-copy', args: [] },
  { command: 'xclip', args: ['-selection', 'clipboard'] },
  { command: 'xsel', args: ['--clipboard', '--input'] },
  { command: 'pbcopy', args: [] },
  { command: 'clip.exe', args: [] },
];

/**
 * What a clipboard program may see of the environment: how to find programs and reach the display or
 * session bus, nothing else. `OPEN2FA_UUID`, `OPEN2FA_PASSPHRASE` and every other variable stay out.
 */
export const CLIPBOARD_ENV = [
  'PATH',
  'HOME',
  'DISPLAY',
  'XAUTHORITY',
  'WAYLAND_DISPLAY',
  'XDG_RUNTIME_DIR',
  'DBUS_SESSION_BUS_ADDRESS',
  'SYSTEMROOT',
  'WINDIR',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
] as const;

export function clipboardEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of CLIPBOARD_ENV) {
    const value = env[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/** A clipboard program that does not answer within this time is given up on. */
const COPY_TIMEOUT_MS = 3000;

/**
 * Puts `text` on the clipboard with the first program that works. Returns its name, or `null` when
 * none is available (a missing program, no display server, a failure).
 */
export async function copyToClipboard(
  text: string,
  commands: readonly ClipboardCommand[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | null> {
  // Imported on demand: spawning processes is needed only by `code --copy`.
  const { spawn } = await import('node:child_process');
  for (const candidate of commands) {
    const copied = await new Promise<boolean>((resolve) => {
      const child = spawn(candidate.command, [...candidate.args], {
        env: clipboardEnv(env),
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      const timer = setTimeout(() => {
        child.kill();
        resolve(false);
      }, COPY_TIMEOUT_MS);
      child.on('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve(status === 0);
      });
      // A program that exits before reading makes the write fail with EPIPE; its status decides.
      child.stdin.on('error', () => undefined);
      child.stdin.end(text);
    });
    if (copied) return candidate.command;
  }
  return null;
}
