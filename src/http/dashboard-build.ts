import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { build as viteBuild } from 'vite';

/** The dashboard's sources (`web/`); its build lands in `web/dist`, which the server serves. */
export const WEB_DIR = fileURLToPath(new URL('../../web', import.meta.url));

export type DashboardState = 'built' | 'missing' | 'outdated' | 'no-sources';

/** Built, never built, or older than a source file (an edit or a `git pull` since the build). */
export function dashboardState(webDir = WEB_DIR): DashboardState {
  const index = join(webDir, 'dist', 'index.html');
  const hasSources = existsSync(join(webDir, 'src'));
  if (!existsSync(index)) return hasSources ? 'missing' : 'no-sources';
  if (!hasSources) return 'built';
  const builtAt = statSync(index).mtimeMs;
  const sources = [join(webDir, 'index.html'), join(webDir, 'vite.config.ts'), ...files(join(webDir, 'src'))];
  return sources.some((file) => existsSync(file) && statSync(file).mtimeMs > builtAt) ? 'outdated' : 'built';
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * Builds the dashboard with Vite when it is installed (a checkout, `npm ci`); otherwise says what
 * to run. Returns a line for the operator, or null when nothing needed doing.
 */
export async function ensureDashboard(webDir = WEB_DIR): Promise<string | null> {
  const state = dashboardState(webDir);
  if (state === 'built' || state === 'no-sources') return null;
  let build: typeof viteBuild;
  try {
    ({ build } = await import('vite'));
  } catch {
    return `the dashboard is ${state === 'missing' ? 'not built' : 'older than its sources'} and Vite is not installed: run  npm ci && npm run build:web  in ${join(webDir, '..')}; the API and /verify work meanwhile`;
  }
  await build({ root: webDir, logLevel: 'warn', configFile: join(webDir, 'vite.config.ts') });
  return `built the dashboard (${state === 'missing' ? 'it was not built' : 'its sources had changed'}) into ${join(webDir, 'dist')}`;
}
