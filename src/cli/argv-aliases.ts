/**
 * The Python client accepted each command also as a flag (`-l`, `--list`) and a few extra words
 * (`stat`, `status`, `inf`), case-insensitively. Commander aliases cover plain words only, so the
 * first arguments are rewritten here to keep old shell aliases and scripts working.
 */
const COMMAND_ALIASES: Readonly<Record<string, string>> = {
  ...flagForms('list', ['l', 'list']),
  ...flagForms('add', ['a', 'add']),
  ...flagForms('delete', ['d', 'delete']),
  ...flagForms('generate', ['g', 'generate']),
  ...flagForms('remote', ['r', 'remote']),
  ...flagForms('info', ['i', 'inf', 'info', 'stat', 'status']),
};

const REMOTE_ALIASES: Readonly<Record<string, string>> = {
  ...flagForms('push', ['pus', 'push']),
  ...flagForms('pull', ['pul', 'pull']),
  ...flagForms('init', ['ini', 'init']),
  ...flagForms('delete', ['d', 'del', 'delete']),
  ...flagForms('list', ['l', 'list']),
  ...flagForms('info', ['i', 'inf', 'info']),
};

/** Rewrites Python-style command aliases in `argv` (user arguments, without node and script). */
export function normalizeArgv(argv: readonly string[]): string[] {
  const [first, second, ...rest] = argv;
  if (first === undefined) return [];
  const command = COMMAND_ALIASES[first.toLowerCase()] ?? first;
  if (command !== 'remote' || second === undefined) return [command, ...argv.slice(1)];
  return [command, REMOTE_ALIASES[second.toLowerCase()] ?? second, ...rest];
}

/** `word`, `-word` and `--word` for every spelling. */
function flagForms(command: string, spellings: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    spellings.flatMap((word) => [word, `-${word}`, `--${word}`].map((form) => [form, command])),
  );
}
