import { Option, type Command } from 'commander';

/** `-s` and `--json`, shared by `list` and `remote list`; `--secret` is the Python spelling. */
export function addListOptions(command: Command): Command {
  return command
    .option('-s, --secrets', 'show the secrets uncensored', false)
    .addOption(new Option('--secret').hideHelp())
    .option('--json', 'print JSON', false);
}

/** `-s` and `--json`, shared by `info` and `remote info`. */
export function addInfoOptions(command: Command): Command {
  return command
    .option('-s, --secrets', 'show the UUID, ID and Secret uncensored', false)
    .option('--json', 'print JSON', false);
}

/** The "Examples:" block every command's help ends with. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}
