import { ConfigError, loadConfig } from './config';

describe('loadConfig: where the background work runs (LEDGER_BACKGROUND)', () => {
  it.each([
    [undefined, { background: true, backgroundThread: false }],
    ['true', { background: true, backgroundThread: false }],
    ['thread', { background: false, backgroundThread: true }],
    ['false', { background: false, backgroundThread: false }],
  ])('given %s, runs it %o', (value, expected) => {
    expect(loadConfig({ LEDGER_BACKGROUND: value })).toMatchObject(expected);
  });

  it('given anything else, refuses to start and names the allowed values', () => {
    expect(() => loadConfig({ LEDGER_BACKGROUND: 'yes' })).toThrow(new ConfigError('LEDGER_BACKGROUND must be one of true, thread, false (got "yes")'));
  });
});
