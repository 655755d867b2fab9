import { buildCliOnce } from './support/build-cli';
import { runLedger } from './support/run-ledger';

/** Every command answers --help with its usage, and exit 0; an unknown command is bad input. */
describe('ledger --help', () => {
  beforeAll(() => buildCliOnce(), 240_000);

  it('lists the commands, and each one explains itself', async () => {
    const top = await runLedger(['--help']);
    expect(top.code).toBe(0);
    const section = top.stdout.split(/^Commands:$/m)[1] ?? '';
    const commands = [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['serve', 'demo', 'import']));
    for (const command of commands) {
      const run = await runLedger([command, '--help']);
      expect({ command, code: run.code }).toEqual({ command, code: 0 });
      expect(run.stdout).toMatch(new RegExp(`^Usage: ledger ${command} `));
    }
  });

  it('exits 2 on an unknown command or a missing argument', async () => {
    expect((await runLedger(['frobnicate'])).code).toBe(2);
    const missing = await runLedger(['import']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'file'/);
  });
});
