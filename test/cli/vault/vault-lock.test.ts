import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/cli-error.js';
import { LOCK_NAME, withVaultLock } from '../../../src/cli/vault/vault-lock.js';
import { loadVault, newEntry, saveVault, type SecretEntry, type Vault } from '../../../src/cli/vault/vault-store.js';
import { hotpCode, totpCode } from '../../../src/core/otp/otp.js';
import { spawnOpen2fa } from '../../helpers/cli-process.js';
import { freshDir, runOpen2fa, TextSink } from '../cli-harness.js';

/** Distinct valid base32 secrets: JBSWY3DPEHPK3P + two letters. */
function secretNumber(index: number): string {
  return `JBSWY3DPEHPK3P${String.fromCharCode(65 + (index % 26), 65 + Math.floor(index / 26))}`;
}

async function storedNames(dir: string): Promise<(string | null)[]> {
  return (await loadVault(dir)).entries.map((entry) => entry.name);
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 500) throw new Error('condition not reached in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Under a lock with the given stale time: reads an empty vault, lets `meanwhile` happen, then writes. */
async function writeAfter(dir: string, staleMs: number, meanwhile: () => Promise<void>): Promise<void> {
  await writeFile(join(dir, 'secrets.json'), '{"secrets": []}');
  await withVaultLock(
    dir,
    async () => {
      const vault = await loadVault(dir);
      await meanwhile();
      await saveVault(dir, { ...vault, entries: [newEntry(secretNumber(4), 'too late')] });
    },
    { staleMs },
  );
}

/**
 * Takes the lock and reads the vault at once, as a slow command does; `release` writes what `change`
 * makes of that reading, then lets the lock go.
 */
async function holdLock(
  dir: string,
  change: (vault: Vault) => SecretEntry[],
): Promise<{ release: () => Promise<void> }> {
  let letGo = (): void => undefined;
  const mayWrite = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  let holding = false;
  const done = withVaultLock(dir, async () => {
    holding = true;
    const vault = await loadVault(dir);
    await mayWrite;
    await saveVault(dir, { ...vault, entries: change(vault) });
  });
  await until(() => holding);
  return {
    release: async () => {
      letGo();
      await done;
    },
  };
}

describe('two open2fa commands at once', () => {
  it('keeps every entry when ten processes add at the same moment', async () => {
    const dir = await freshDir();
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        spawnOpen2fa(['add', secretNumber(index), `n${String(index)}`], { OPEN2FA_DIR: dir }),
      ),
    );
    for (const run of runs) expect(run).toMatchObject({ exitCode: 0 });
    const names = await storedNames(dir);
    expect(names.toSorted()).toEqual(Array.from({ length: 10 }, (_, index) => `n${String(index)}`).toSorted());
    // The lock is gone once they are done, and no temporary file is left behind.
    expect(await readdir(dir)).toEqual(['secrets.json']);
  });

  it('never shows the same HOTP code twice when eight processes ask at once', async () => {
    const dir = await freshDir();
    const secret = secretNumber(0);
    await writeFile(join(dir, 'fob.txt'), `otpauth://hotp/Fob?secret=${secret}&counter=0\n`);
    expect(await spawnOpen2fa(['import', join(dir, 'fob.txt')], { OPEN2FA_DIR: dir })).toMatchObject({ exitCode: 0 });
    const runs = await Promise.all(
      Array.from({ length: 8 }, () => spawnOpen2fa(['code', 'Fob'], { OPEN2FA_DIR: dir })),
    );
    const codes = runs.map((run) => {
      expect(run.exitCode).toBe(0);
      return run.stdout.trim();
    });
    const expected = Array.from({ length: 8 }, (_, counter) => hotpCode({ secret }, counter));
    expect(codes.toSorted()).toEqual(expected.toSorted());
    expect((await loadVault(dir)).entries[0]?.counter).toBe(8);
  });

  it('waits for a command that holds the lock, says so, and then keeps that command’s change', async () => {
    const dir = await freshDir();
    // A slow read-modify-write, as a sync is: it read the file before `add` started.
    const holder = await holdLock(dir, (vault) => [...vault.entries, newEntry(secretNumber(1), 'first')]);
    const stderr = new TextSink();
    const adding = runOpen2fa(['add', secretNumber(2), 'second'], { env: { OPEN2FA_DIR: dir }, stderr });
    await until(() => stderr.text.includes('Waiting for another open2fa command to finish'));
    expect(stderr.text).toContain(join(dir, LOCK_NAME));
    await holder.release();
    expect(await adding).toMatchObject({ exitCode: 0 });
    expect(await storedNames(dir)).toEqual(['first', 'second']);
  });

  it('shows a TOTP code and saves no counter when the HOTP entry became a TOTP one meanwhile', async () => {
    const dir = await freshDir();
    const secret = secretNumber(8);
    await withVaultLock(dir, () =>
      saveVault(dir, { entries: [newEntry(secret, 'Fob', { type: 'hotp', counter: 0 })], raw: { secrets: [] } }),
    );
    const holder = await holdLock(dir, () => [newEntry(secret, 'Fob')]);
    const stderr = new TextSink();
    const asking = runOpen2fa(['code', 'Fob'], { env: { OPEN2FA_DIR: dir }, stderr });
    await until(() => stderr.text.includes('Waiting for another open2fa command to finish'));
    await holder.release();
    // The harness's clock stands at 59 s.
    expect(await asking).toMatchObject({ exitCode: 0, stdout: `${totpCode({ secret }, 59_000)}\n` });
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(
      `{"secrets": [{"secret": "${secret}", "name": "Fob"}]}`,
    );
  });

  it('takes over a stale lock (as a killed command leaves it) without waiting for it', async () => {
    const dir = await freshDir();
    await mkdir(join(dir, LOCK_NAME));
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(join(dir, LOCK_NAME), longAgo, longAgo);
    const run = await runOpen2fa(['add', secretNumber(3), 'after a crash'], { env: { OPEN2FA_DIR: dir } });
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await storedNames(dir)).toEqual(['after a crash']);
  });

  it('gives up with a clear error when the lock stays taken', async () => {
    const dir = await freshDir();
    const holder = await holdLock(dir, (vault) => [...vault.entries]);
    const waiting = withVaultLock(dir, () => Promise.resolve('never'), { waitMs: 1_000 });
    await expect(waiting).rejects.toBeInstanceOf(CliError);
    await expect(waiting).rejects.toMatchObject({
      code: 'vault_busy',
      message: expect.stringMatching(/another open2fa command kept .* locked for 1 s; try again/) as unknown,
    });
    await holder.release();
  });

  it('writes nothing more once its lock was taken away', async () => {
    const dir = await freshDir();
    // What another command does once it finds the lock stale: removes it (and takes its own).
    const attempt = writeAfter(dir, 2_000, async () => {
      await rm(join(dir, LOCK_NAME), { recursive: true });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'vault_busy',
      message: expect.stringContaining('was lost') as unknown,
    });
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe('{"secrets": []}');
  });

  it('writes nothing after a pause long enough for its lock to go stale', async () => {
    const dir = await freshDir();
    // The whole thread stops, as under Ctrl+Z or a laptop's sleep: no timer runs meanwhile, so the
    // lock is not refreshed and another command may take it over as stale.
    const attempt = writeAfter(dir, 5_000, () => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3_500);
      return Promise.resolve();
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'vault_busy',
      message: expect.stringMatching(/was paused for 3\.\d s while it held the lock/) as unknown,
    });
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe('{"secrets": []}');
  });

  it('keeps its lock through a long wait that lets timers run (a slow server, say)', async () => {
    const dir = await freshDir();
    await withVaultLock(
      dir,
      async () => {
        const vault = await loadVault(dir);
        await new Promise((resolve) => setTimeout(resolve, 3_500));
        await saveVault(dir, { ...vault, entries: [newEntry(secretNumber(6), 'after a slow answer')] });
      },
      { staleMs: 5_000 },
    );
    expect(await storedNames(dir)).toEqual(['after a slow answer']);
  });

  it('says so when the vault path is a file', async () => {
    const parent = await freshDir();
    await writeFile(join(parent, 'not-a-dir'), 'x');
    const run = await runOpen2fa(['add', secretNumber(7), 'x'], { env: { OPEN2FA_DIR: join(parent, 'not-a-dir') } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `cannot use ${join(parent, 'not-a-dir')} for secrets: it (or a folder above it) is a file`,
    );
  });

  it('refuses a nested lock on the same directory in one command', async () => {
    const dir = await freshDir();
    await expect(withVaultLock(dir, () => withVaultLock(dir, () => Promise.resolve()))).rejects.toThrow(
      /already held by this command/,
    );
  });
});
