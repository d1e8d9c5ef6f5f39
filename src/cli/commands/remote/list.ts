import { remoteProtocol } from '../../remote/remote-protocol.js';
import { addListOptions, type CliCommand, type ListFlags } from '../command-module.js';

export const command = {
  description: 'list the remote secrets, decrypted here',
  examples: ['open2fa remote list', 'open2fa remote list -s'],
  options: addListOptions,
  run: async (context, options: ListFlags) => {
    const protocol = await remoteProtocol(context);
    await protocol.list(context, { secrets: options.secrets || options.secret === true, json: options.json });
  },
} satisfies CliCommand;
