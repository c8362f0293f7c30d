import type { Command } from 'commander';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { UserError } from '../../core/errors.js';
import { print } from '../output.js';
import { deliveryOptions, sendSettings, type SendOptions } from './notice.command.js';

interface ServeOptions extends SendOptions {
  port: string;
  host: string;
  trustProxy?: boolean;
  log?: boolean;
}

export function registerServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description('the JSON API, the dashboard and the public /verify page, until Ctrl-C')
    .option('--port <port>', 'TCP port', '8080')
    .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--trust-proxy', 'behind a reverse proxy: client address and https from X-Forwarded-*')
    .option('--log', 'one line per request on standard error (method, route, status, time)');
  deliveryOptions(serve).action(async (opts: ServeOptions, cmd: Command) => {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UserError(`--port: "${opts.port}" is not a port`);
    const globals = cmd.optsWithGlobals<{ db?: string; config?: string }>();
    // Fastify and the dashboard build load only for `serve`, not at every command's start.
    const { ensureDashboard } = await import('../../http/dashboard-build.js');
    const { buildServer } = await import('../../http/server.js');
    const built = await ensureDashboard();
    if (built) print(built);
    const app = await createApp({ config: loadConfig({ db: globals.db, configFile: globals.config }) });
    const server = await buildServer({
      app,
      sending: sendSettings(app, opts),
      trustProxy: opts.trustProxy ?? false,
      log: opts.log ?? false,
    });
    let url: string;
    try {
      url = await server.listen({ port, host: opts.host });
    } catch (error) {
      await app.close();
      throw new UserError(`cannot listen on ${opts.host}:${port}: ${(error as Error).message}`);
    }
    print(`breachdesk serving on ${url}`);
    if ((await app.access.countUsers()) === 0) {
      print('no users yet: create the first admin with  breachdesk user add you@example.com --role admin');
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    print('stopping: waiting for running send passes');
    await server.close();
    await app.close();
  });
}
