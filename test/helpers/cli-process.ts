import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'open2fa');

/** What one run of the built CLI printed, and how it ended. */
export interface Spawned {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `bin/open2fa` (npm test builds dist/ first) with only the given environment. */
export async function spawnOpen2fa(argv: readonly string[], env: Record<string, string>): Promise<Spawned> {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'program.js'))) {
    throw new Error('dist/ is not built: run `npm run build` (npm test does) first');
  }
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...argv], { env });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { exitCode: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
