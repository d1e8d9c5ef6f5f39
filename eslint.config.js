// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A pattern that forbids relative imports into the given top-level folders of src/. */
function notInto(folders, message) {
  return { regex: `^(\\.\\./)+(${folders.join('|')})(/|\\.js$)`, message };
}

const CORE_PATTERNS = [
  { group: ['node:*', 'fs', 'path', 'crypto'], message: 'src/core runs in browsers too.' },
  notInto(['cli', 'web', 'server', 'store', 'package-info'], 'src/core imports only src/core and its npm packages.'),
];
/** The CLI and the page talk to the server over HTTP only. */
const CLIENT_LAYERS = notInto(['server', 'store'], 'the CLI and the page reach the server over HTTP, never its code.');
/** Only cli-run.ts turns errors into words: everything else throws or returns values. */
const CLI_EDGE = {
  regex: '(^|/)failure-report\\.js$',
  message: 'only cli-run.ts reports failures; use cli-error.ts for file and network errors.',
};
const OTHER_COMMAND =
  'a command never imports another one: shared printing goes to output/, shared options to command-module.ts.';
const NO_COMMANDS = { regex: '(^|/)commands/', message: 'the protocols sit below the commands.' };
/** @param {string} other */
function OTHER_PROTOCOL(other) {
  return {
    regex: `(^|/)${other}/`,
    message: `a protocol never borrows from ${other}/: share through remote/ or src/core.`,
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'packages/cli/dist/', 'node_modules/', 'coverage/', 'data/', 'bench/tmp/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Template literals with numbers are common in messages; strict mode still bans objects and nullish.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Use textContent: data never becomes markup.' },
        { property: 'outerHTML', message: 'Use textContent: data never becomes markup.' },
      ],
    },
  },
  {
    // One JSON exchange (timeouts, size limits, no redirects, result values): core/http/exchange.ts is the
    // only caller of fetch (the service worker forwards through its `forwardRequest`).
    files: ['src/**/*.ts'],
    ignores: ['src/core/http/exchange.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          "CallExpression[callee.type='Identifier'][callee.name='fetch']",
          "CallExpression[callee.property.name='fetch']",
        ].map((selector) => ({ selector, message: 'call fetch through exchangeJson (src/core/http/exchange.ts).' })),
      ],
    },
  },
  // The layers (docs in src/*/README.md). Each block lists every pattern its files obey: a later block
  // replaces the rule of an earlier one for the same file, it does not add to it.
  {
    // The core is isomorphic: no Node built-ins, and it imports only itself (and its npm packages).
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: CORE_PATTERNS }] },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [notInto(['server'], 'the store serves the server, never the reverse.')] },
      ],
    },
  },
  {
    files: ['src/web/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CLIENT_LAYERS] }] },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CLIENT_LAYERS, CLI_EDGE] }] },
  },
  {
    // The edge itself, and the one runner that calls it (for the fast path and the program alike).
    files: ['src/cli/failure-report.ts', 'src/cli/cli-run.ts', 'src/cli/main.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CLIENT_LAYERS] }] },
  },
  {
    // Commands print through output/, never through another command.
    files: ['src/cli/commands/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [CLIENT_LAYERS, CLI_EDGE, { regex: '^\\./(?!command-module\\.js$)[^/]+$', message: OTHER_COMMAND }],
        },
      ],
    },
  },
  {
    files: ['src/cli/commands/remote/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            CLIENT_LAYERS,
            CLI_EDGE,
            { regex: '^\\./', message: OTHER_COMMAND },
            { regex: '^\\.\\./(?!command-module\\.js$)[^/.][^/]*$', message: OTHER_COMMAND },
          ],
        },
      ],
    },
  },
  {
    // Storage, the input files, the terminal and the output know nothing of commands or of the protocols.
    files: ['src/cli/vault/**/*.ts', 'src/cli/input/**/*.ts', 'src/cli/terminal/**/*.ts', 'src/cli/output/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            CLIENT_LAYERS,
            CLI_EDGE,
            {
              regex: '(^|/)(commands|remote)/',
              message: 'vault/, input/, terminal/ and output/ sit below the commands and the protocols.',
            },
          ],
        },
      ],
    },
  },
  {
    // A protocol never uses the other one's folder: what both need is in remote/ (or src/core).
    files: ['src/cli/remote/v1/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [CLIENT_LAYERS, CLI_EDGE, OTHER_PROTOCOL('v2'), NO_COMMANDS] }],
    },
  },
  {
    files: ['src/cli/remote/v2/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [CLIENT_LAYERS, CLI_EDGE, OTHER_PROTOCOL('v1'), NO_COMMANDS] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    // Keep disableTypeChecked's parserOptions (projectService: false): plain JS has no tsconfig project.
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    // The CLI package's bin (scripts/cli-bin.cjs): a CommonJS file, run by Node as it is.
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: globals.node,
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
);
