import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { exitCodeOf, EXIT } from './exit-codes';

/** `ledger <command>`: every command registers itself from ./commands. */
export function buildProgram(): Command {
  const program = new Command('ledger')
    .description('The policy-dispute ledger: record, query, audit and export disputes between governments.')
    .option('--data-dir <dir>', 'data directory (default ./data or LEDGER_DATA_DIR)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Applies global options to the environment the commands read (LEDGER_DATA_DIR). */
export function applyGlobalOptions(program: Command): void {
  const dataDir = program.opts<{ dataDir?: string }>().dataDir;
  if (dataDir) process.env.LEDGER_DATA_DIR = dataDir;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.hook('preAction', () => applyGlobalOptions(program));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    }
    process.stderr.write(`ledger: ${(error as Error).message}\n`);
    return exitCodeOf(error);
  }
}
