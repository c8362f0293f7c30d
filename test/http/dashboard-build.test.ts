import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardState } from '../../src/http/dashboard-build.js';

function webFolder(): string {
  const web = mkdtempSync(join(tmpdir(), 'breachdesk-webdir-'));
  mkdirSync(join(web, 'src'));
  writeFileSync(join(web, 'src', 'main.tsx'), 'export {};\n');
  return web;
}

function buildAt(web: string, seconds: number): void {
  mkdirSync(join(web, 'dist'), { recursive: true });
  writeFileSync(join(web, 'dist', 'index.html'), '<!doctype html>');
  utimesSync(join(web, 'dist', 'index.html'), seconds, seconds);
}

describe('whether serve must build the dashboard', () => {
  it('says missing before a build, built after it, outdated once a source file is newer', () => {
    const web = webFolder();
    utimesSync(join(web, 'src', 'main.tsx'), 1_000, 1_000);
    expect(dashboardState(web)).toBe('missing');
    buildAt(web, 2_000);
    expect(dashboardState(web)).toBe('built');
    utimesSync(join(web, 'src', 'main.tsx'), 3_000, 3_000);
    expect(dashboardState(web)).toBe('outdated');
  });

  it('serves a build that came without its sources as it is', () => {
    const web = mkdtempSync(join(tmpdir(), 'breachdesk-webdir-'));
    expect(dashboardState(web)).toBe('no-sources');
    buildAt(web, 2_000);
    expect(dashboardState(web)).toBe('built');
  });
});
