import { printInfo, type InfoOptions } from '../output/info-report.js';
import { collectLocalInfo } from '../vault/local-info.js';
import { addInfoOptions, type CliCommand } from './command-module.js';

export const command = {
  description: 'show the directory, server and (masked) identity',
  examples: ['open2fa info', 'open2fa info -s --json'],
  options: addInfoOptions,
  /** `open2fa info`: local facts only, so it works offline and instantly. */
  run: async (context, options: InfoOptions) => {
    const { vaultDir, apiUrl, protocol, uuid } = context.settings('vaultDir', 'uuid', 'apiUrl', 'protocol');
    const local = await collectLocalInfo({ dir: vaultDir, apiUrl, protocol, uuid });
    printInfo(context, local, null, options);
  },
} satisfies CliCommand;
