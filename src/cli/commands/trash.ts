import type { CommandContext } from '../command-context.js';
import { displayName, maskSecret } from '../output/text-format.js';
import { TRASH_DAYS, loadTrash } from '../vault/trash-file.js';
import type { CliCommand } from './command-module.js';

export const command = {
  description: `list what sync removed here in the last ${String(TRASH_DAYS)} days (restore it with \`open2fa restore\`)`,
  examples: ['open2fa trash', 'open2fa trash --json'],
  options: (command) => command.option('--json', 'print JSON', false),
  run: (context, options: { json: boolean }) => runTrash(context, options.json),
} satisfies CliCommand;

/**
 * `open2fa trash`: one line per removed entry, numbered as `open2fa restore` accepts them: the name,
 * when (UTC) and why; the secret masked as in `list`.
 */
async function runTrash(context: CommandContext, json: boolean): Promise<void> {
  const items = await loadTrash(context.vaultDir(), context.deps.now());
  if (json) {
    const rows = items.map((item) => ({
      name: item.entry.name,
      removedAt: new Date(item.removedAt).toISOString(),
      why: item.why,
    }));
    context.out(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (items.length === 0) {
    context.out('The trash is empty.\n');
    return;
  }
  for (const [index, item] of items.entries()) {
    const when = new Date(item.removedAt).toISOString().replace('T', ' ').slice(0, 16);
    context.out(
      `${String(index + 1)}. ${displayName(item.entry.name)} ${maskSecret(item.entry.secret)}  ` +
        `removed ${when} UTC (${item.why})\n`,
    );
  }
}
