import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintTemplates, loadTemplates, shippedTemplatesDir } from '../../src/adapters/template-folder.js';
import { isUserError } from '../../src/core/errors.js';
import { formatProblem } from '../../src/core/template-library.js';
import { testDialects } from '../support/databases.js';
import { createTestApp, openTestIncident, profiles } from '../support/test-app.js';

const folders: string[] = [];
afterEach(() => {
  while (folders.length > 0) rmSync(folders.pop()!, { recursive: true, force: true });
});

/** A copy of the shipped templates to break. */
function copyOfShipped(): string {
  const dir = mkdtempSync(join(tmpdir(), 'breachdesk-templates-'));
  folders.push(dir);
  cpSync(shippedTemplatesDir(), dir, { recursive: true });
  return dir;
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('template folder', () => {
  it('loads the shipped templates whatever the working directory', () => {
    const library = loadTemplates();
    expect([...library.layouts.keys()].sort()).toEqual(['default', 'notice-of-data-breach']);
    expect([...library.layouts.get('default')!.keys()].sort()).toEqual(['de', 'en']);
  });

  it('lints a folder with one line per problem, naming file and line', () => {
    const dir = copyOfShipped();
    writeFileSync(
      join(dir, 'default/en/text.txt'),
      'Hello {{greetingName}}\n\n{{#organizations}}\n{{nmae}}\n',
    );
    rmSync(join(dir, 'default/de/subject.txt'));

    expect(lintTemplates(dir).map(formatProblem)).toEqual([
      `${dir}/default/de/subject.txt: missing file`,
      `${dir}/default/en/text.txt:3: {{#organizations}} is never closed`,
    ]);
  });

  it('refuses to load a folder with a template error, naming the file and line', () => {
    const dir = copyOfShipped();
    writeFileSync(join(dir, 'default/de/html.html'), '<p>\n{{unbekannt}}</p>\n');

    const error = thrown(() => loadTemplates(dir));
    expect(isUserError(error)).toBe(true);
    expect(error.message).toBe(
      `template problem: ${dir}/default/de/html.html:2: unknown variable {{unbekannt}}`,
    );
  });

  it('refuses a folder that does not exist with a clear error', () => {
    const error = thrown(() => loadTemplates('/nonexistent/templates'));
    expect(isUserError(error)).toBe(true);
    expect(error.message).toMatch(/cannot read the templates folder \/nonexistent\/templates: ENOENT/);
  });
});

describe.each(testDialects())('notices in the recipient locale (%s)', (dialect) => {
  it('gives an account with locale de the German notice and an unmatched person the English one', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({
      accounts: app.write(
        'accounts.csv',
        'id,email,name,status,locale\nu1,anna@example.de,Anna,active,de-AT\nu2,joao@example.com,João,active,pt-BR\n',
      ),
    });
    const id = await openTestIncident(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write(
        'people.ndjson',
        profiles(
          { $distinct_id: 'u1', $properties: { $name: 'Anna', $city: 'Wien' } },
          { $distinct_id: 'u2', $properties: { $name: 'João' } },
          { $distinct_id: 'x9', $properties: { $email: 'stranger@example.org' } },
        ),
      ),
      format: 'auto',
    });

    await app.notices.plan(id);
    const anna = await app.notices.preview(id, 'anna@example.de');
    const joao = await app.notices.preview(id, 'joao@example.com');
    const stranger = await app.notices.preview(id, 'stranger@example.org');

    expect(anna.status).toBe('queued');
    expect(anna.subject).toMatch(/^Sicherheitshinweis: /);
    expect(anna.text).toContain('Ihre Daten\n----------');
    expect(anna.text).toContain('Ihr Name');
    expect(anna.html).toContain('<html lang="de">');
    expect(joao.subject).toMatch(/^Security notice: /);
    expect(stranger.text).toContain('Your information');
  });

  it('gives an admin who is not impacted themselves the notice in their own locale', async () => {
    const app = await createTestApp(dialect);
    await app.directory.import({
      accounts: app.write(
        'accounts.csv',
        'id,email,name,status,locale\nboss,chef@example.de,Chef,active,de\nm1,m1@example.com,M,active,en\n',
      ),
      organizations: app.write('orgs.csv', 'id,name\norg-1,Beispiel GmbH\n'),
      memberships: app.write('m.csv', 'org_id,account_id,role\norg-1,boss,owner\norg-1,m1,member\n'),
    });
    const id = await openTestIncident(app);
    await app.datasets.import({
      incidentId: id,
      path: app.write('people.ndjson', profiles({ $distinct_id: 'm1', $properties: { $city: 'Köln' } })),
      format: 'auto',
    });
    const notice = await app.notices.preview(id, 'chef@example.de');
    expect(notice.html).toContain('<html lang="de">');
  });
});
