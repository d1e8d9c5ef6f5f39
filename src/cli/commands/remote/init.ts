import { randomUuid } from '../../../core/uuid.js';
import type { CommandContext } from '../../command-context.js';
import { createUuidFile, resolveUuid, UUID_FILE } from '../../vault/uuid-file.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description: 'create the UUID that identifies you (and encrypts your secrets)',
  examples: ['open2fa remote init', 'open2fa remote init -y'],
  options: (command) => command.option('-y, --yes', 'do not ask for confirmation', false),
  run: (context, options: { yes: boolean }) => runRemoteInit(context, options),
} satisfies CliCommand;

/**
 * `open2fa remote init`: creates `open2fa.uuid` unless a UUID exists; the same for every protocol.
 * Asks first on a terminal, as 1.x did; without one (scripts) it proceeds, since creating a missing
 * UUID file destroys nothing.
 */
async function runRemoteInit(context: CommandContext, options: { readonly yes: boolean }): Promise<void> {
  const { vaultDir: dir, uuid } = context.settings('vaultDir', 'uuid');
  const existing = await resolveUuid(uuid, dir);
  if (existing !== null) {
    const where = existing.from === 'env' ? 'OPEN2FA_UUID is set' : `found ${dir}/${UUID_FILE}`;
    context.out(`Open2FA is already initialized with a UUID (${where}).\n`);
    return;
  }
  if (!options.yes && context.deps.stdinIsTTY) {
    const prompter = await context.prompter();
    if (!(await prompter.confirm('Do you want to initialize remote capabilities of Open2FA?'))) {
      context.out('Remote initialization cancelled.\n');
      return;
    }
  }
  const created = randomUuid();
  if (!(await createUuidFile(dir, created))) {
    context.out(`Open2FA is already initialized with a UUID (found ${dir}/${UUID_FILE}).\n`);
    return;
  }
  context.out(
    `\nRemote capabilities initialized with UUID: ${created}\n` +
      'It is recommended to save this UUID somewhere safe and use as an environment variable OPEN2FA_UUID.\n',
  );
}
