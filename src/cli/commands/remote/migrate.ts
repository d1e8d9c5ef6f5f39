import { remoteProtocol } from '../../remote/remote-protocol.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description: 'move the v1 entries of this ID into v2 items (copied, verified, then the v1 copies removed)',
  examples: ['open2fa remote migrate'],
  run: async (context) => {
    await (await remoteProtocol(context)).migrate(context);
  },
} satisfies CliCommand;
