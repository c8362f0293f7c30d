import { describe, expect, it } from 'vitest';
import {
  auditEntryHash,
  GENESIS_HASH,
  verifyAuditChain,
  type ChainEntry,
  type ChainHead,
} from '../../src/core/audit-chain.js';

function chain(count: number): ChainEntry[] {
  const entries: ChainEntry[] = [];
  let prev = GENESIS_HASH;
  for (let id = 1; id <= count; id++) {
    const fields = {
      at: `2026-11-20T09:00:0${id}.000Z`,
      actor: 'dana',
      action: 'incident.event',
      incident_id: 'inc_1',
      detail: JSON.stringify({ n: id }),
      prev_hash: prev,
    };
    const hash = auditEntryHash(fields);
    entries.push({ id, ...fields, hash });
    prev = hash;
  }
  return entries;
}

const headOf = (entries: ChainEntry[]): ChainHead => ({ id: entries.at(-1)!.id, hash: entries.at(-1)!.hash });

describe('the audit chain', () => {
  it('accepts an untouched chain and names its head', () => {
    const entries = chain(5);
    expect(verifyAuditChain(entries, headOf(entries))).toEqual({
      ok: true,
      entries: 5,
      head: headOf(entries),
    });
  });

  it('accepts an empty log whose head is the genesis', () => {
    expect(verifyAuditChain([], { id: 0, hash: GENESIS_HASH })).toMatchObject({ ok: true, entries: 0 });
  });

  it('commits to every field: changing any one changes the hash', () => {
    const [entry] = chain(1);
    for (const field of ['at', 'actor', 'action', 'incident_id', 'detail', 'prev_hash'] as const) {
      expect(auditEntryHash({ ...entry!, [field]: `${entry![field]}x` })).not.toBe(entry!.hash);
    }
    expect(auditEntryHash({ ...entry!, incident_id: null })).not.toBe(entry!.hash);
  });

  it('reports an edited detail as edited, at that entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, detail: '{"n":99}' };
    expect(verifyAuditChain(entries, headOf(entries))).toMatchObject({ ok: false, id: 3, reason: 'edited' });
  });

  it('reports a removed middle entry at the entry that follows the gap', () => {
    const entries = chain(5);
    const head = headOf(entries);
    entries.splice(2, 1);
    expect(verifyAuditChain(entries, head)).toMatchObject({ ok: false, id: 4, reason: 'removed' });
  });

  it('reports two entries that swapped places as reordered', () => {
    const entries = chain(5);
    const head = headOf(entries);
    const [second, fourth] = [entries[1]!, entries[3]!];
    entries[1] = { ...fourth, id: 2 };
    entries[3] = { ...second, id: 4 };
    expect(verifyAuditChain(entries, head)).toMatchObject({ ok: false, id: 2, reason: 'reordered' });
  });

  it('reports a cut-off tail as removed, naming the recorded head', () => {
    const entries = chain(5);
    const head = headOf(entries);
    expect(verifyAuditChain(entries.slice(0, 4), head)).toMatchObject({
      ok: false,
      id: 5,
      reason: 'removed',
    });
    expect(verifyAuditChain([], head)).toMatchObject({ ok: false, id: 5, reason: 'removed' });
  });

  it('reports an entry slipped in with a correct link as inserted', () => {
    const entries = chain(4);
    const head = headOf(entries);
    const forged = { at: 'x', actor: 'mallory', action: 'notices.approve', incident_id: null, detail: '{}' };
    const prev_hash = entries[1]!.hash;
    entries.splice(2, 0, { id: 10, ...forged, prev_hash, hash: auditEntryHash({ ...forged, prev_hash }) });
    expect(verifyAuditChain(entries, head)).toMatchObject({ ok: false, id: 10, reason: 'inserted' });
  });

  it('reports an entry slipped in with a made-up link as inserted', () => {
    const entries = chain(4);
    const head = headOf(entries);
    const forged = {
      at: 'x',
      actor: 'mallory',
      action: 'x',
      incident_id: null,
      detail: '{}',
      prev_hash: 'f'.repeat(64),
    };
    entries.splice(2, 0, { id: 10, ...forged, hash: auditEntryHash(forged) });
    expect(verifyAuditChain(entries, head)).toMatchObject({ ok: false, id: 10, reason: 'inserted' });
  });

  it('reports a missing head record once the log has entries', () => {
    expect(verifyAuditChain(chain(2), null)).toMatchObject({ ok: false, id: null, reason: 'removed' });
  });

  it('accepts entries appended after the head was read, if they chain on from it', () => {
    const entries = chain(5);
    const headBefore = { id: 3, hash: entries[2]!.hash };
    expect(verifyAuditChain(entries, headBefore)).toEqual({ ok: true, entries: 5, head: headOf(entries) });
  });

  it('accepts a fully recomputed chain unless an anchor noted earlier no longer matches', () => {
    const entries = chain(4);
    const anchor = { id: 3, hash: entries[2]!.hash };
    let prev_hash = GENESIS_HASH;
    const rewritten = entries.map((entry) => {
      const fields = { ...entry, actor: entry.id === 2 ? 'mallory' : entry.actor, prev_hash };
      prev_hash = auditEntryHash(fields);
      return { ...fields, hash: prev_hash };
    });
    expect(verifyAuditChain(rewritten, headOf(rewritten))).toMatchObject({ ok: true });
    expect(verifyAuditChain(rewritten, headOf(rewritten), [anchor])).toMatchObject({
      ok: false,
      id: 3,
      reason: 'edited',
    });
    expect(verifyAuditChain(entries, headOf(entries), [anchor])).toMatchObject({ ok: true });
  });
});
