import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import type { CliDeps } from '../cli-deps.js';
import { CliError } from '../cli-error.js';

/**
 * Questions on stderr, answers from stdin. On a terminal the answer to a hidden question is not
 * echoed; otherwise answers are read line by line, so `printf 'SECRET\nname\n' | open2fa add` works.
 * One reader serves the whole run: a second one would lose what the first had buffered.
 */
export class Prompter {
  readonly #deps: CliDeps;
  readonly #lines: string[] = [];
  readonly #waiting: { resolve: (line: string | null) => void; reject: (error: Error) => void }[] = [];
  #muted = false;
  #ended = false;
  #readline: Interface | undefined;

  constructor(deps: CliDeps) {
    this.#deps = deps;
  }

  /** Asks a question; `null` when stdin ends first. */
  ask(question: string): Promise<string | null> {
    this.#deps.stderr.write(question);
    return this.#nextLine();
  }

  /** Asks for a secret without echoing it on a terminal. */
  async askHidden(question: string): Promise<string | null> {
    this.#deps.stderr.write(question);
    this.#muted = this.#deps.stdinIsTTY;
    try {
      return await this.#nextLine();
    } finally {
      if (this.#muted) this.#deps.stderr.write('\n');
      this.#muted = false;
    }
  }

  /** A yes/no question; only `y` or `yes` (any case) counts as yes. */
  async confirm(question: string): Promise<boolean> {
    const answer = await this.ask(`${question} (y/n): `);
    return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
  }

  close(): void {
    this.#readline?.close();
    this.#readline = undefined;
  }

  #nextLine(): Promise<string | null> {
    this.#start();
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #start(): void {
    if (this.#readline !== undefined || this.#ended) return;
    const terminal = this.#deps.stdinIsTTY;
    const readline = createInterface({
      input: this.#deps.stdin,
      terminal,
      ...(terminal ? { output: this.#echo() } : {}),
    });
    readline.on('line', (line) => {
      const waiter = this.#waiting.shift();
      if (waiter === undefined) this.#lines.push(line);
      else waiter.resolve(line);
    });
    readline.on('close', () => {
      this.#ended = true;
      for (const waiter of this.#waiting.splice(0)) waiter.resolve(null);
    });
    readline.on('SIGINT', () => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new CliError('cancelled', 'cancelled'));
      this.close();
    });
    this.#readline = readline;
  }

  /** Terminal echo goes to stderr, except while a hidden answer is typed. */
  #echo(): Writable {
    return new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        if (!this.#muted) this.#deps.stderr.write(chunk.toString());
        done();
      },
    });
  }
}
