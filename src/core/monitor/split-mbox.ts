/** One message cut from an mbox file, unquoted, with the line its `From ` separator is on. */
export interface MboxMessage {
  raw: Buffer;
  line: number;
}

const SEPARATOR = Buffer.from('\nFrom ');

export function looksLikeMbox(content: Buffer): boolean {
  return content.subarray(0, 5).toString('latin1') === 'From ';
}

/**
 * Splits an mbox on lines starting with `From ` and undoes mboxrd quoting (`>From ` → `From `,
 * `>>From ` → `>From `), which also reads mboxo files correctly where they were not ambiguous.
 */
export function splitMbox(content: Buffer): MboxMessage[] {
  const messages: MboxMessage[] = [];
  let start = looksLikeMbox(content) ? 0 : -1;
  let line = 1;
  let counted = 0;
  if (start < 0) return [{ raw: content, line: 1 }];
  while (start < content.length) {
    const next = content.indexOf(SEPARATOR, start);
    const end = next < 0 ? content.length : next + 1;
    line += countLines(content, counted, start);
    counted = start;
    const bodyStart = content.indexOf(0x0a, start);
    if (bodyStart >= 0 && bodyStart < end)
      messages.push({ raw: unquote(content.subarray(bodyStart + 1, end)), line });
    start = end;
  }
  return messages;
}

function countLines(content: Buffer, from: number, to: number): number {
  let lines = 0;
  for (let at = content.indexOf(0x0a, from); at >= 0 && at < to; at = content.indexOf(0x0a, at + 1)) lines++;
  return lines;
}

function unquote(message: Buffer): Buffer {
  if (message.indexOf('>From ') < 0) return message;
  // latin1 maps bytes one to one, so the round trip leaves any charset untouched.
  return Buffer.from(message.toString('latin1').replace(/^>(>*From )/gm, '$1'), 'latin1');
}
