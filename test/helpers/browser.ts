import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; playwright-core drives it (no `playwright install`, no downloaded browser). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `null` when Chromium is there; otherwise the reason to skip the browser tests. In CI a missing
 * browser is a failure, never a silent skip, so this throws there.
 */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `Chromium is not at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`${reason}: the browser tests must run in CI`);
  console.warn(`\n⚠️  SKIPPING BROWSER TESTS: ${reason}\n`);
  return reason;
}

/** Chromium headless, with `extraArgs` after the usual switches (a fake camera, say). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extraArgs],
  });
}

export const WEB_DIST = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export interface WebManifest {
  readonly entries: Readonly<Record<string, string>>;
  readonly initial: readonly { url: string; bytes: number; gzipBytes: number }[];
  readonly lazy: readonly { url: string; bytes: number; gzipBytes: number }[];
  readonly initialGzipBytes: number;
  readonly lazyGzipBytes: number;
}

/** The build's manifest; fails with what to do when the web UI was not built. */
export async function requireWebBuild(): Promise<WebManifest> {
  try {
    return JSON.parse(await readFile(`${WEB_DIST}manifest.json`, 'utf8')) as WebManifest;
  } catch {
    throw new Error('dist/web is missing: run `npm run build` (or `node scripts/build-web.mjs`) before the web tests');
  }
}
