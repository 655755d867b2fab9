import { LedgerError } from '@ledger/domain';
import { ConfigError, StartupError } from '@ledger/platform';

/** 0 ok, 1 verification failed (or a failure at run time), 2 bad input or a startup problem. */
export const EXIT = { OK: 0, FAILED: 1, BAD_INPUT: 2 } as const;

/** Input the command cannot use (a missing file, an unusable data dir): one line, exit 2. */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof BadInputError) return EXIT.BAD_INPUT;
  if (error instanceof ConfigError || error instanceof StartupError) return EXIT.BAD_INPUT;
  if (error instanceof LedgerError && ['invalid', 'not-found', 'rule', 'conflict'].includes(error.kind)) return EXIT.BAD_INPUT;
  if ((error as NodeJS.ErrnoException)?.code === 'ENOENT' || (error as NodeJS.ErrnoException)?.code === 'EACCES') return EXIT.BAD_INPUT;
  return EXIT.FAILED;
}
