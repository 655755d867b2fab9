import { spawnSync } from 'node:child_process';

/**
 * The share of a file held in the OS page cache (util-linux `fincore`), or undefined where
 * that tool is missing. On this machine's virtual disks, pages left untouched for a few
 * minutes are dropped even with most memory free, so a large read model is partly read
 * from disk: the share explains read figures that fall with the ledger's size.
 */
export function pageCacheShare(file: string): number | undefined {
  const result = spawnSync('fincore', ['--bytes', '--noheadings', '--output', 'RES,SIZE', file], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  const [resident, size] = result.stdout.trim().split(/\s+/).map(Number);
  return size > 0 && Number.isFinite(resident) ? resident / size : undefined;
}
