import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../exit-codes';

/**
 * Makes sure the data dir exists and can be read and written, before SQLite is opened:
 * SQLite's own errors ("unable to open database file") do not say which path or why.
 */
export function checkDataDir(dir: string): void {
  const refuse = (why: string) => new BadInputError(`cannot use the data directory ${dir}: ${why}`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw refuse(describe(error));
  }
  if (!statSync(dir).isDirectory()) throw refuse('it is not a directory');
  for (const path of [dir, join(dir, 'ledger.sqlite'), join(dir, 'views.sqlite')]) {
    if (!existsSync(path)) continue;
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw refuse(path === dir ? describe(error) : `${path}: ${describe(error)}`);
    }
  }
}

export function describe(error: unknown): string {
  switch ((error as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a file is in the way (not a directory)';
    case 'EISDIR':
      return 'it is a directory';
    case 'EROFS':
      return 'read-only file system';
    default:
      return (error as Error)?.message ?? String(error);
  }
}
