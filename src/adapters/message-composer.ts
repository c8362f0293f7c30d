import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { composeMime, mimeText, type MimeFields } from '../core/mime-message.js';
import { createDkimSigner, type DkimKeySettings } from './dkim-signer.js';

/** A message ready for the SMTP conversation: its bytes, and the envelope to send them with. */
export interface ComposedMessage {
  raw: Buffer;
  envelope: { from: string; to: string[] };
}

export type MessageComposer = (fields: MimeFields) => Promise<ComposedMessage>;

/**
 * Composes (and with a key, DKIM-signs) whole messages. The common case, plain ASCII addresses, is
 * written directly as one string; an address that needs more (Unicode, quoted local parts) goes
 * through nodemailer's general composer and signer.
 */
export function createMessageComposer({ dkim }: { dkim?: DkimKeySettings | undefined }): MessageComposer {
  const sign = dkim ? createDkimSigner(dkim) : undefined;
  let general: ReturnType<typeof generalComposer> | undefined;
  return async (fields) => {
    const message = composeMime(fields, {
      date: new Date(),
      boundary: `=_bd_${randomBytes(12).toString('hex')}`,
    });
    if (message) {
      const raw = Buffer.from(mimeText(message, sign?.(message)), 'latin1');
      return { raw, envelope: { from: fields.from.address, to: [fields.to] } };
    }
    general ??= generalComposer(dkim);
    const info = await general.sendMail({ ...fields, disableFileAccess: true, disableUrlAccess: true });
    return { raw: info.message as Buffer, envelope: info.envelope as ComposedMessage['envelope'] };
  };
}

function generalComposer(dkim: DkimKeySettings | undefined) {
  return nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    // Sign#sign, which nodemailer calls with this value, takes a KeyObject; the types list only PEM.
    ...(dkim ? { dkim: { ...dkim, privateKey: dkim.privateKey as unknown as string } } : {}),
  });
}
