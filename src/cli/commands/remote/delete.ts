import { remoteProtocol } from '../../remote/remote-protocol.js';
import { requireTarget } from '../../vault/entry-match.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description: 'delete the remote copy of a secret (the local copy stays)',
  examples: ['open2fa remote delete -n GitHub'],
  options: (command) =>
    command
      .argument('[target]', 'a name or a secret')
      .option('-n, --name <name>', 'the exact name of a local secret')
      .option('-s, --secret <secret>', 'the secret'),
  run: async (context, either: string | undefined, options: { name?: string; secret?: string }) => {
    const target = { ...options, either };
    // Before the protocol: a missing target is a usage error whatever the configuration.
    requireTarget(target);
    await (await remoteProtocol(context)).delete(context, target);
  },
} satisfies CliCommand;
