import { sql } from 'kysely';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.js';

describe('the memory a SQLite store may take', () => {
  it('caps the page cache, and with it each sort, at 16 MB, and spills temp b-trees to file', async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), 'breachdesk-memory-')), 'incident.db'));
    try {
      const pragma = async (name: string) =>
        Object.values(
          (await sql.raw<Record<string, number>>(`pragma ${name}`).execute(store.db)).rows[0]!,
        )[0];
      // Negative: KiB. SQLite also sizes each sorter's in-memory run by this number.
      expect(await pragma('cache_size')).toBe(-16_384);
      // 1 = FILE: a temp b-tree keeps its own small cache and spills, rather than growing in memory.
      expect(await pragma('temp_store')).toBe(1);
      // Mapped pages would count in the process's resident memory.
      expect(await pragma('mmap_size')).toBe(0);
      // Sorts run on the calling thread only: each helper thread would hold a run of its own.
      expect(await pragma('threads')).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('sorts with one helper thread only while it rebuilds the matches', async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), 'breachdesk-memory-')), 'incident.db'));
    const threads = async () =>
      (await sql.raw<{ threads: number }>('pragma threads').execute(store.db)).rows[0]?.threads;
    try {
      const during = await store.capabilities.bulkRebuild(store.db, threads);
      expect(during).toBe(1);
      expect(await threads()).toBe(0);
    } finally {
      await store.close();
    }
  });
});
