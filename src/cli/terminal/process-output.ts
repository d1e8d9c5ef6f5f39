import { fstatSync, statSync, writeSync } from 'node:fs';
import type { TextOutput } from '../cli-deps.js';

/**
 * Whether a descriptor is a terminal, loading node:tty only when it may be one. node:tty brings in
 * node:net and the whole stream stack, which costs `open2fa code` in a script (stdout a pipe or a file,
 * stdin often /dev/null) more start-up than the command itself: a descriptor that is not a character
 * device, or is /dev/null, is no terminal.
 */
export async function isTerminal(fd: number): Promise<boolean> {
  try {
    const stats = fstatSync(fd);
    if (!stats.isCharacterDevice() || isDevNull(stats)) return false;
  } catch {
    return false;
  }
  const { isatty } = await import('node:tty');
  return isatty(fd);
}

function isDevNull(stats: { readonly dev: number; readonly ino: number }): boolean {
  const devNull = statSync('/dev/null', { throwIfNoEntry: false });
  return devNull?.dev === stats.dev && devNull.ino === stats.ino;
}

/**
 * An output to a descriptor that is not a terminal (a pipe or a file), written synchronously, as Node's
 * own `process.stdout` is for pipes and files on POSIX, without building that stream: it loads node:net
 * and the stream modules, most of what `open2fa code` spends beyond Node's start-up. The stream is made
 * only when the descriptor would block (a non-blocking pipe someone else set up), and takes every write
 * from then on, so the order holds. A closed pipe (`open2fa list | head -1`) drops what follows, as the
 * stream's ignored EPIPE does.
 */
export function descriptorOutput(fd: number, stream: () => NodeJS.WriteStream): TextOutput {
  let fallback: NodeJS.WriteStream | null = null;
  let closed = false;
  return {
    write(text: string): boolean {
      if (closed) return true;
      if (fallback !== null) return fallback.write(text);
      const bytes = Buffer.from(text, 'utf8');
      let offset = 0;
      try {
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return true;
        }
        if (code !== 'EAGAIN') throw error;
        fallback = stream();
        return fallback.write(bytes.subarray(offset));
      }
    },
  };
}
