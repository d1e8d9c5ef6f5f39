import type { Command } from 'commander';
import type { CommandContext } from './command-context.js';
import { addInfoOptions, addListOptions, examples } from './command-options.js';

/** `open2fa remote …`: the sync commands (v2 unless OPEN2FA_PROTOCOL=v1), with the Python client's short aliases. */
export function registerRemoteCommands(program: Command, context: CommandContext): void {
  const remote = program
    .command('remote')
    .alias('r')
    .description('sync with the open2fa server (secrets are encrypted before they leave)')
    .addHelpText('after', examples('open2fa remote init', 'open2fa remote push', 'OPEN2FA_UUID=… open2fa remote pull'));
  remote
    .command('init')
    .alias('ini')
    .description('create the UUID that identifies you (and encrypts your secrets)')
    .option('-y, --yes', 'do not ask for confirmation', false)
    .addHelpText('after', examples('open2fa remote init', 'open2fa remote init -y'))
    .action(async (options: { yes: boolean }) => {
      const { runRemoteInit } = await import('./remote-manage-commands.js');
      await runRemoteInit(context, options);
    });
  remote
    .command('push')
    .alias('pus')
    .description('upload every local secret, encrypted')
    .addHelpText('after', examples('open2fa remote push'))
    .action(async () => {
      const { runPush } = await import('./remote-sync-commands.js');
      await runPush(context);
    });
  remote
    .command('pull')
    .alias('pul')
    .description('download and add the remote secrets not stored here yet')
    .addHelpText('after', examples('open2fa remote pull'))
    .action(async () => {
      const { runPull } = await import('./remote-sync-commands.js');
      await runPull(context);
    });
  remote
    .command('migrate')
    .alias('mig')
    .description('move the v1 entries of this ID into v2 items (copied, verified, then the v1 copies removed)')
    .addHelpText('after', examples('open2fa remote migrate'))
    .action(async () => {
      const { runMigrate } = await import('./v2-manage-commands.js');
      await runMigrate(context);
    });
  registerRemoteViews(remote, context);
}

function registerRemoteViews(remote: Command, context: CommandContext): void {
  remote
    .command('delete')
    .aliases(['del', 'd'])
    .description('delete the remote copy of a secret (the local copy stays)')
    .argument('[target]', 'a name or a secret')
    .option('-n, --name <name>', 'the exact name of a local secret')
    .option('-s, --secret <secret>', 'the secret')
    .addHelpText('after', examples('open2fa remote delete -n GitHub'))
    .action(async (either: string | undefined, options: { name?: string; secret?: string }) => {
      const { runRemoteDelete } = await import('./remote-manage-commands.js');
      await runRemoteDelete(context, { ...options, either });
    });
  addListOptions(remote.command('list').alias('l').description('list the remote secrets, decrypted here'))
    .addHelpText('after', examples('open2fa remote list', 'open2fa remote list -s'))
    .action(async (options: { secrets: boolean; secret?: boolean; json: boolean }) => {
      const { runRemoteList } = await import('./remote-sync-commands.js');
      await runRemoteList(context, { secrets: options.secrets || options.secret === true, json: options.json });
    });
  addInfoOptions(remote.command('info').alias('inf').description('info, plus the number of remote secrets'))
    .addHelpText('after', examples('open2fa remote info'))
    .action(async (options: { secrets: boolean; json: boolean }) => {
      const { runRemoteInfo } = await import('./remote-manage-commands.js');
      await runRemoteInfo(context, options);
    });
}
