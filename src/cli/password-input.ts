/**
 * A password for the CLI, never from argv (it would sit in the shell history
 * and in `ps`): typed at a prompt without echo when stdin is a terminal, else
 * the first line of stdin (`printf '%s\n' "$PW" | quota-herald user add …`).
 */
import type { Readable } from 'node:stream';

export type PasswordStdin = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export async function readPassword(stdin: PasswordStdin, prompt: NodeJS.WritableStream): Promise<string> {
  if (stdin.isTTY && stdin.setRawMode) {
    const first = await promptHidden(stdin, prompt, 'Password: ');
    const again = await promptHidden(stdin, prompt, 'Password again: ');
    if (first !== again) return Promise.reject(new PasswordMismatchError());
    return first;
  }
  return readFirstLine(stdin);
}

export class PasswordMismatchError extends Error {
  constructor() {
    super('the two passwords differ');
    this.name = 'PasswordMismatchError';
  }
}

function readFirstLine(stdin: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (): void => {
      stdin.off('data', onData);
      stdin.off('end', done);
      stdin.off('error', reject);
      stdin.pause();
      resolve(text.split(/\r?\n/)[0] ?? '');
    };
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      if (text.includes('\n')) done();
    };
    stdin.on('data', onData);
    stdin.once('end', done);
    stdin.once('error', reject);
    stdin.resume();
  });
}

/** Raw mode: characters arrive one by one and are not echoed; Enter ends, Ctrl-C aborts, Backspace deletes. */
function promptHidden(stdin: PasswordStdin, prompt: NodeJS.WritableStream, question: string): Promise<string> {
  prompt.write(question);
  stdin.setRawMode?.(true);
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      prompt.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') text = [...text].slice(0, -1).join('');
        else text += char;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
