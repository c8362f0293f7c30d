import { UserError } from '../core/errors.js';

/** All of standard input, without its final newline: `--password-stdin`. */
export async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal without echo; never takes a password from argv (shell history). */
export async function promptPassword(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY)
    throw new UserError('no terminal to ask for the password on: pipe it in with --password-stdin');
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (text: string) => {
        for (const char of text) {
          if (char === '\r' || char === '\n') return finish(() => resolve(typed));
          if (char === '\u0003') return finish(() => reject(new UserError('cancelled')));
          if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
          else typed += char;
        }
      };
      const finish = (settle: () => void) => {
        input.off('data', onData);
        process.stderr.write('\n');
        settle();
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
  }
}
