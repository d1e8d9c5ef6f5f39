// `fs.promises`, read where used: loading node:fs/promises costs a command that only reads the vault
// (`open2fa code`, which reads it synchronously) about a tenth of Node's own start-up.
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The vault directory and its files are private to their owner, as in the Python client. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Creates the directory (and missing parents) as 0700; an existing directory is left as it is. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const created = await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
  // mkdir's mode is filtered by the umask; chmod makes the promise of 0700 hold.
  if (created !== undefined) await fs.chmod(dir, DIR_MODE);
}

/**
 * Replaces `path` atomically: the text goes to a temporary file in the same directory, is flushed to
 * disk, then renamed over the target, so a crash leaves either the old or the new file, never half.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = await writeTempFile(path, text);
  try {
    await fs.rename(temp, path);
  } catch (error) {
    await fs.unlink(temp).catch(ignore);
    throw error;
  }
  await syncDir(dirname(path));
}

/**
 * Like `writeFileAtomic` but never replaces an existing file: `link` fails with EEXIST when another
 * process got there first. Returns `false` in that case.
 */
export async function createFileAtomic(path: string, text: string): Promise<boolean> {
  const temp = await writeTempFile(path, text);
  try {
    await fs.link(temp, path);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.unlink(temp).catch(ignore);
    await syncDir(dirname(path));
  }
}

async function writeTempFile(path: string, text: string): Promise<string> {
  const suffix = `${String(process.pid)}-${Math.random().toString(36).slice(2, 10)}`;
  const temp = join(dirname(path), `.${basename(path)}.${suffix}.tmp`);
  const handle = await fs.open(temp, 'wx', FILE_MODE);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.unlink(temp).catch(ignore);
    throw error;
  }
  await handle.close();
  return temp;
}

/** Makes the rename itself durable. Some platforms cannot open directories; that is not fatal. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort only: the data is already safe in the renamed file.
  }
}

function ignore(): void {
  // Cleanup of a temporary file that may already be gone.
}
