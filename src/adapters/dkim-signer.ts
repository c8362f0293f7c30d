import { createHash, sign, type KeyObject } from 'node:crypto';
import type { MimeMessage } from '../core/mime-message.js';

export interface DkimKeySettings {
  domainName: string;
  keySelector: string;
  privateKey: KeyObject;
}

/**
 * A DKIM-Signature field (RFC 6376: rsa-sha256, relaxed/relaxed, every header field of the
 * message signed) for a composed message, as the line to write before its other fields.
 */
export type DkimSigner = (message: MimeMessage) => string;

export function createDkimSigner({ domainName, keySelector, privateKey }: DkimKeySettings): DkimSigner {
  const tags = `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domainName}; q=dns/txt; s=${keySelector};`;
  return (message) => {
    const bodyHash = createHash('sha256').update(relaxedBody(message.body), 'latin1').digest('base64');
    let signed = '';
    for (const [name, value] of message.headers) signed += `${name.toLowerCase()}:${relaxedValue(value)}\r\n`;
    const names = message.headers.map(([name]) => name.toLowerCase()).join(':');
    const field = ` ${tags}\r\n bh=${bodyHash};\r\n h=${names};\r\n b=`;
    signed += `dkim-signature:${relaxedValue(field)}`;
    const signature = sign('sha256', Buffer.from(signed, 'latin1'), privateKey).toString('base64');
    // Folded: a verifier removes the whitespace of b= before it checks the value.
    return `DKIM-Signature:${field}${signature.replace(/.{1,72}/g, '\r\n  $&').trimStart()}\r\n`;
  };
}

/** Relaxed header canonicalization of a value: unfolded, whitespace runs as one space, trimmed. */
function relaxedValue(value: string): string {
  return value
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Relaxed body canonicalization: whitespace runs as one space, none at a line's end, no trailing empty lines. */
function relaxedBody(body: string): string {
  // Only runs and tabs change: a single space, most of a message's spaces, is canonical already.
  let canonical = body.replace(/[ \t]+\r\n/g, '\r\n').replace(/[ \t]{2,}|\t/g, ' ');
  let end = canonical.length;
  while (end >= 2 && canonical.startsWith('\r\n', end - 2)) end -= 2;
  canonical = canonical.slice(0, end);
  return canonical === '' ? '' : `${canonical}\r\n`;
}
