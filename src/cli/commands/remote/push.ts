import { remoteProtocol } from '../../remote/remote-protocol.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description: "sync: merge the server's changes, then send this device's additions, edits and deletions (encrypted)",
  examples: ['open2fa remote push', 'open2fa remote sync'],
  run: async (context) => {
    await (await remoteProtocol(context)).push(context);
  },
} satisfies CliCommand;
