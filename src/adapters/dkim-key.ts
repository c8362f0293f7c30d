import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';

export interface DkimKey {
  privateKey: KeyObject;
  algorithm: 'rsa' | 'ed25519';
  /** The RSA modulus length; null for Ed25519, whose size is fixed. */
  bits: number | null;
}

const MIN_RSA_BITS = 1024;

/** Reads a PEM private key (PKCS#1 or PKCS#8) once, so signing never re-parses it. */
export function loadDkimKey(path: string): DkimKey {
  const block = privateKeyBlock(readPem(path), path);
  if (/^-----BEGIN ENCRYPTED|Proc-Type:\s*4,ENCRYPTED/.test(block)) {
    throw new UserError(
      `DKIM key ${path} is encrypted and breachdesk takes no passphrase: decrypt it with openssl pkey`,
    );
  }
  return describe(parsePrivateKey(block, path), path);
}

function readPem(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read DKIM key ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** The private key block alone, so a file that also holds the certificate chain still loads. */
function privateKeyBlock(pem: string, path: string): string {
  const block = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/.exec(pem);
  if (block) return block[0];
  if (/-----BEGIN (RSA )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(pem)) {
    throw new UserError(`DKIM key ${path} holds a public key or certificate, not a private key`);
  }
  throw new UserError(`DKIM key ${path} is not a PEM private key (PKCS#1 or PKCS#8)`);
}

function parsePrivateKey(block: string, path: string): KeyObject {
  try {
    return createPrivateKey({ key: block, format: 'pem' });
  } catch {
    throw new UserError(`DKIM key ${path} is not a readable PEM private key (PKCS#1 or PKCS#8)`);
  }
}

function describe(privateKey: KeyObject, path: string): DkimKey {
  const type = privateKey.asymmetricKeyType;
  if (type === 'ed25519') return { privateKey, algorithm: 'ed25519', bits: null };
  if (type !== 'rsa') {
    throw new UserError(`DKIM key ${path} has key type ${type ?? 'unknown'}; DKIM signs with RSA or Ed25519`);
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new UserError(
      `DKIM key ${path} is RSA-${bits}; verifiers reject keys under ${MIN_RSA_BITS} bits (use 2048)`,
    );
  }
  return { privateKey, algorithm: 'rsa', bits };
}
