import { remoteProtocol } from '../../remote/remote-protocol.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description: 'download and add the remote secrets not stored here yet',
  examples: ['open2fa remote pull'],
  run: async (context) => {
    await (await remoteProtocol(context)).pull(context);
  },
} satisfies CliCommand;
