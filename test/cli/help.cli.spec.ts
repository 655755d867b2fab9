import { buildProgram } from '../../apps/ledger-cli/src/main';
import { buildCliOnce } from './support/build-cli';
import { runLedger } from './support/run-ledger';

/** Every command answers --help with its usage, and exit 0; an unknown command is bad input. */
describe('ledger --help', () => {
  beforeAll(() => buildCliOnce(), 240_000);

  it('lists the commands as a child process, exit 0', async () => {
    const top = await runLedger(['--help']);
    expect(top.code).toBe(0);
    const section = top.stdout.split(/^Commands:$/m)[1] ?? '';
    const listed = [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(listed).toEqual(expect.arrayContaining(['serve', 'demo', 'import', 'stats']));
    expect(listed.sort()).toEqual(buildProgram().commands.map((c) => c.name()).sort());

    const one = await runLedger(['import', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^Usage: ledger import \[options\] <file>/);
  }, 120_000);

  it('every command has a description and usage (in-process, no spawn per command)', () => {
    for (const command of buildProgram().commands) {
      const help = command.helpInformation();
      expect({ command: command.name(), usage: help.startsWith(`Usage: ledger ${command.name()}`) }).toEqual({ command: command.name(), usage: true });
      expect({ command: command.name(), described: command.description().length > 10 }).toEqual({ command: command.name(), described: true });
    }
  });

  it('exits 2 on an unknown command or a missing argument', async () => {
    expect((await runLedger(['frobnicate'])).code).toBe(2);
    const missing = await runLedger(['import']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'file'/);
  }, 120_000);
});
