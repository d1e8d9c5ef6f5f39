import { remoteProtocol } from '../../remote/remote-protocol.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description: 'upload every local secret, encrypted',
  examples: ['open2fa remote push'],
  run: async (context) => {
    await (await remoteProtocol(context)).push(context);
  },
} satisfies CliCommand;
