import { Command, CommanderError } from 'commander';
import { isUserError, storageFailure } from '../core/errors.js';
import { registerAuditCommands } from './commands/audit.command.js';
import { registerDatasetCommands } from './commands/dataset.command.js';
import { registerDemoCommand } from './commands/demo.command.js';
import { registerDirectoryCommands } from './commands/directory.command.js';
import { registerImpactCommands } from './commands/impact.command.js';
import { registerIdentityCommands } from './commands/identity.command.js';
import { registerIncidentCommands } from './commands/incident.command.js';
import { registerMonitorCommands } from './commands/monitor.command.js';
import { registerNoticeCommands } from './commands/notice.command.js';
import { registerObligationsCommand } from './commands/obligations.command.js';
import { registerReportCommand } from './commands/report.command.js';
import { registerVendorCommands } from './commands/vendor.command.js';
import { registerServeCommand } from './commands/serve.command.js';
import { registerUserCommands } from './commands/user.command.js';
import { printError } from './output.js';

export function buildProgram(): Command {
  const program = new Command('breachdesk')
    .description("From a breached vendor's dataset to every affected person notified.")
    .option('--db <location>', 'SQLite file or postgres:// URL (env BREACHDESK_DB; default ./breachdesk.db)')
    .option('--config <file>', 'JSON config file: company name, sender, contact (env BREACHDESK_CONFIG)')
    .showHelpAfterError()
    .exitOverride();
  registerVendorCommands(program);
  registerIncidentCommands(program);
  registerDirectoryCommands(program);
  registerDatasetCommands(program);
  registerImpactCommands(program);
  registerNoticeCommands(program);
  registerReportCommand(program);
  registerDemoCommand(program);
  registerAuditCommands(program);
  registerObligationsCommand(program);
  registerMonitorCommands(program);
  registerIdentityCommands(program);
  registerServeCommand(program);
  registerUserCommands(program);
  program.commands.forEach(function exitOverrideAll(command: Command): void {
    command.exitOverride();
    command.commands.forEach(exitOverrideAll);
  });
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 a problem the user can fix, 2 usage, 70 a bug. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const userError = isUserError(error) ? error : storageFailure(error);
    if (userError) {
      printError(userError.message, userError.context);
      return 1;
    }
    printError(`internal error: ${(error as Error).message ?? String(error)}`);
    if (process.env.BREACHDESK_DEBUG) console.error(error);
    return 70;
  }
}
