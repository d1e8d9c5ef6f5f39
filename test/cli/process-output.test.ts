import { closeSync, openSync, readFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { descriptorOutput, isTerminal } from '../../src/cli/terminal/process-output.js';
import { freshDir, TextSink } from './cli-harness.js';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return { ...actual, writeSync: vi.fn(actual.writeSync) };
});

const realWriteSync = (await vi.importActual<typeof fs>('node:fs')).writeSync;

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/** A stand-in for process.stdout: collects what it is given. */
function fallbackStream(): { sink: TextSink; stream: NodeJS.WriteStream } {
  const sink = new TextSink();
  const stream = { write: (chunk: string | Uint8Array) => sink.write(Buffer.from(chunk).toString('utf8')) };
  return { sink, stream: stream as unknown as NodeJS.WriteStream };
}

afterEach(() => {
  vi.mocked(fs.writeSync).mockClear().mockImplementation(realWriteSync);
});

describe('descriptorOutput (stdout and stderr of the CLI when they are a pipe or a file)', () => {
  it('writes everything to the descriptor, in order, without making the stream', async () => {
    const path = join(await freshDir(), 'out.txt');
    const fd = openSync(path, 'w');
    const made = vi.fn(() => fallbackStream().stream);
    const output = descriptorOutput(fd, made);
    output.write('123456\n');
    output.write('Grüße, ☃\n');
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe('123456\nGrüße, ☃\n');
    expect(made).not.toHaveBeenCalled();
  });

  it('finishes a short write: what writeSync did not take is written next', async () => {
    const path = join(await freshDir(), 'out.txt');
    const fd = openSync(path, 'w');
    // The descriptor takes at most 3 bytes a call, as a pipe near full may.
    vi.mocked(fs.writeSync).mockImplementation(((target: number, buffer: Uint8Array, offset: number) =>
      realWriteSync(target, buffer, offset, Math.min(3, buffer.length - offset))) as typeof fs.writeSync);
    descriptorOutput(fd, () => fallbackStream().stream).write('ten bytes!+☃');
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe('ten bytes!+☃');
  });

  it('drops what follows a closed pipe (EPIPE), as the stream ignoring EPIPE does', () => {
    vi.mocked(fs.writeSync).mockImplementation(() => {
      throw systemError('EPIPE');
    });
    const made = vi.fn(() => fallbackStream().stream);
    const output = descriptorOutput(1, made);
    expect(output.write('a\n')).toBe(true);
    expect(output.write('b\n')).toBe(true);
    expect(fs.writeSync).toHaveBeenCalledTimes(1);
    expect(made).not.toHaveBeenCalled();
  });

  it('hands the rest to the stream when the descriptor would block (EAGAIN), and every later write', () => {
    const { sink, stream } = fallbackStream();
    let calls = 0;
    vi.mocked(fs.writeSync).mockImplementation(((_fd: number, buffer: Uint8Array, offset: number) => {
      calls += 1;
      if (calls === 1) return Math.min(4, buffer.length - offset); // "firs" went to the descriptor
      throw systemError('EAGAIN');
    }) as typeof fs.writeSync);
    const output = descriptorOutput(1, () => stream);
    output.write('first line\n');
    output.write('second line\n');
    expect(sink.text).toBe('t line\nsecond line\n');
    expect(calls).toBe(2);
  });

  it('passes any other failure on', () => {
    vi.mocked(fs.writeSync).mockImplementation(() => {
      throw systemError('EIO');
    });
    expect(() => descriptorOutput(1, () => fallbackStream().stream).write('x')).toThrow('EIO');
  });
});

describe('isTerminal', () => {
  it('is false for a file, /dev/null and a closed descriptor (the bundle test checks node:tty stays unloaded)', async () => {
    const path = join(await freshDir(), 'file');
    const file = openSync(path, 'w');
    const devNull = openSync('/dev/null', 'r');
    const closed = openSync(path, 'r');
    closeSync(closed);
    expect(await isTerminal(file)).toBe(false);
    expect(await isTerminal(devNull)).toBe(false);
    expect(await isTerminal(closed)).toBe(false);
    closeSync(file);
    closeSync(devNull);
  });
});
