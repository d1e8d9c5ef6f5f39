import type { ClipboardCommand } from '../cli-deps.js';

/** Tried in order; the first that exists and succeeds wins (Wayland, X11, macOS, Windows/WSL). */
export const DEFAULT_CLIPBOARD_COMMANDS: readonly ClipboardCommand[] = [
  { command: 'wl-copy', args: [] },
  { command: 'xclip', args: ['-selection', 'clipboard'] },
  { command: 'xsel', args: ['--clipboard', '--input'] },
  { command: 'pbcopy', args: [] },
  { command: 'clip.exe', args: [] },
];

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
      const child = spawn(candidate.command, [...candidate.args], { env, stdio: ['pipe', 'ignore', 'ignore'] });
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
