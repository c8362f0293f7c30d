import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { print, printJson, withApp } from '../output.js';
import { promptPassword, readPasswordFromStdin } from '../read-password.js';

/** Users of the HTTP API and their tokens. Whoever runs the CLI can read the database: no login. */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('who may sign in to `serve`, with which role');
  user
    .command('add <email>')
    .description('add a user; prints the TOTP secret once (admins and responders must use it)')
    .requiredOption('--role <role>', 'admin, responder or viewer')
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .option('--no-totp', 'viewers only: sign in without a second factor')
    .option('--json', 'print JSON')
    .action(
      async (
        email: string,
        opts: { role: string; passwordStdin?: boolean; totp: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const password = opts.passwordStdin ? await readPasswordFromStdin() : await askTwice();
        const added = await withApp(
          cmd,
          (app) => app.access.addUser({ email, role: opts.role, password, totp: opts.totp }),
          { create: true },
        );
        if (opts.json) return printJson(added);
        print(`user ${added.email} added as ${added.role}`);
        if (added.totp) {
          print(
            [
              'Add this to an authenticator app now; it is not shown again:',
              `  ${added.totp.uri}`,
              `  secret: ${added.totp.secret}`,
            ].join('\n'),
          );
        }
      },
    );
  user
    .command('list')
    .description('list users and roles')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const users = await withApp(cmd, (app) => app.access.listUsers());
      if (opts.json) return printJson(users);
      print(
        users
          .map((u) => `${u.email}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\t${u.createdAt}`)
          .join('\n') || 'no users: add the first admin with  breachdesk user add EMAIL --role admin',
      );
    });
  user
    .command('disable <email>')
    .description('disable a user: their sessions end and their tokens stop working')
    .action(async (email: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, (app) => app.access.disableUser(email));
      print(`user ${email} disabled`);
    });

  const token = program.command('token').description('API tokens for automation (Authorization: Bearer)');
  token
    .command('create <email>')
    .description("a token acting as this user, with the user's role; printed once")
    .requiredOption('--name <name>', 'what the token is for, e.g. ci-export')
    .action(async (email: string, opts: { name: string }, cmd: Command) => {
      const created = await withApp(cmd, (app) => app.access.createToken(email, opts.name));
      print(`token ${created.id} created; it is not shown again:\n${created.token}`);
    });
  token
    .command('list')
    .description('list tokens (never the tokens themselves)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const tokens = await withApp(cmd, (app) => app.access.listTokens());
      if (opts.json) return printJson(tokens);
      print(
        tokens
          .map((t) => `${t.id}\t${t.name}\t${t.email}\tlast used ${t.lastUsedAt ?? 'never'}`)
          .join('\n') || 'no tokens',
      );
    });
  token
    .command('revoke <id>')
    .description('revoke a token')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, (app) => app.access.revokeToken(id));
      print(`token ${id} revoked`);
    });
}

async function askTwice(): Promise<string> {
  const first = await promptPassword('password: ');
  const second = await promptPassword('again: ');
  if (first !== second) throw new UserError('the two passwords differ');
  return first;
}
