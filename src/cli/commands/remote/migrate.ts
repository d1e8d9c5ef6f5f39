import { remoteProtocol } from '../../remote/remote-protocol.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description:
    'move the v1 entries of this ID into v2 items (copied, verified, then the v1 copies removed); ' +
    'open2fa 1.x clients no longer see them',
  examples: ['open2fa remote migrate', 'open2fa remote migrate --yes'],
  options: (command) => command.option('-y, --yes', 'do not ask for confirmation (for scripts)', false),
  run: async (context, options: { yes: boolean }) => {
    await (await remoteProtocol(context)).migrate(context, options);
  },
} satisfies CliCommand;
