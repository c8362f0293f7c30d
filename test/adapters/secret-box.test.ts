import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { createSecretBox, loadSecret, openSharedKeys } from '../../src/adapters/secret-box.js';
import { createApp } from '../../src/app.js';
import { DEFAULT_COMPANY } from '../../src/config.js';

const dir = () => mkdtempSync(join(tmpdir(), 'breachdesk-key-'));

describe('the secret box', () => {
  const box = createSecretBox(Buffer.alloc(32, 7));

  it('seals with a fresh nonce each time and opens what it sealed', () => {
    const a = box.seal('alice@example.com');
    expect(a).not.toBe(box.seal('alice@example.com'));
    expect(a).not.toContain('alice');
    expect(box.open(a)).toBe('alice@example.com');
  });

  it('refuses tampered ciphertext and ciphertext under another key', () => {
    const sealed = box.seal('value');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => box.open(`v1.${bytes.toString('base64')}`)).toThrow(/cannot be opened/);
    expect(() => createSecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow(/cannot be opened/);
  });

  it('hashes as HMAC-SHA-256 under the derived identity key, short, long and non-ASCII values alike', () => {
    const { hashKey } = box.shareWithThread();
    for (const value of ['u1', '', 'Zoë@exämple.test', '日本'.repeat(700), 'x'.repeat(5000)]) {
      const expected = createHmac('sha256', hashKey).update(value, 'utf8').digest('base64url');
      expect(box.hash(value)).toBe(expected);
    }
  });

  it('seals bytes as it seals their text, and a box from shared keys opens them', () => {
    const shared = openSharedKeys(box.shareWithThread());
    expect(shared.open(box.seal(Buffer.from('Zoë', 'utf8')))).toBe('Zoë');
    expect(box.open(shared.seal('Zoë'))).toBe('Zoë');
    expect(shared.hash('u1')).toBe(box.hash('u1'));
    expect(shared.fingerprint).toBe(box.fingerprint);
  });

  it('seals bytes to the text seal gives, as its bytes, that opens to them', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'Zoë', 'x'.repeat(150_000)]) {
      const sealed = box.sealText(Buffer.from(text, 'utf8'));
      expect(sealed.byteOffset).toBe(0);
      expect(sealed.byteLength).toBe(sealed.buffer.byteLength);
      const asText = Buffer.from(sealed).toString('latin1');
      expect(asText).toMatch(/^v1\.[A-Za-z0-9+/]+={0,2}$/);
      expect(asText.length).toBe(box.seal(text).length);
      expect(box.open(asText)).toBe(text);
    }
  });

  it('hashes identity keys deterministically under the key only', () => {
    expect(box.hash('u1')).toBe(box.hash('u1'));
    expect(box.hash('u1')).not.toBe(createSecretBox(Buffer.alloc(32, 8)).hash('u1'));
  });
});

describe('the key source', () => {
  it('creates a key file with mode 0600 on first use and reads it back', () => {
    const keyFile = join(dir(), 'breachdesk.key');
    const first = loadSecret({ keyFile });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(loadSecret({ keyFile })).toEqual(first);
  });

  it('refuses a key file other users can read', () => {
    const keyFile = join(dir(), 'loose.key');
    writeFileSync(keyFile, 'ab'.repeat(32));
    chmodSync(keyFile, 0o644);
    expect(() => loadSecret({ keyFile })).toThrow(/readable by other users/);
  });

  it('prefers BREACHDESK_KEY and rejects one of the wrong size', () => {
    expect(loadSecret({ envKey: 'cd'.repeat(32), keyFile: '/nonexistent/x' })).toEqual(
      Buffer.alloc(32, 0xcd),
    );
    expect(() => loadSecret({ envKey: 'abc', keyFile: '/nonexistent/x' })).toThrow(/32 bytes/);
  });

  it('refuses to open a database with a different key', async () => {
    const folder = dir();
    const config = (key: string) => ({
      db: join(folder, 'bd.db'),
      actor: 't',
      company: DEFAULT_COMPANY,
      key: { envKey: key, keyFile: '/nonexistent/x' },
    });
    const app = await createApp({ config: config('11'.repeat(32)) });
    await app.close();
    await expect(createApp({ config: config('22'.repeat(32)) })).rejects.toThrow(
      /key does not match this database/,
    );
  });
});
