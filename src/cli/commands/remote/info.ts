import { printInfo, type InfoOptions } from '../../output/info-report.js';
import { remoteProtocol } from '../../remote/remote-protocol.js';
import { collectLocalInfo } from '../../vault/local-info.js';
import { addInfoOptions, type CliCommand } from '../command-module.js';

export const command = {
  description: 'info, plus the number of remote secrets',
  examples: ['open2fa remote info'],
  options: addInfoOptions,
  /** `open2fa remote info`: the local facts plus what the server holds for this ID. */
  run: async (context, options: InfoOptions) => {
    const counts = await (await remoteProtocol(context)).info(context);
    const { vaultDir, apiUrl, protocol, uuid } = context.settings('vaultDir', 'uuid', 'apiUrl', 'protocol');
    const local = await collectLocalInfo({ dir: vaultDir, apiUrl, protocol, uuid });
    printInfo(context, local, counts, options);
  },
} satisfies CliCommand;
