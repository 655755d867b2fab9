import {
  OfflineInputError,
  readCheckpointFile,
  readPublicKeyFile,
  verifyExportFile,
  verifyLog,
  type BrokenLink,
  type VerificationReport,
} from '@ledger/audit';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { createPublicKey } from 'node:crypto';
import { BadInputError, EXIT } from '../exit-codes';
import { openAuditSession } from './audit-session';

interface VerifyOptions {
  offline?: string;
  checkpoint?: string;
  publicKey?: string;
  json?: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      "recompute every stream's hash chain, the Merkle record and every signed checkpoint of the data dir; " +
        'with --offline, check an NDJSON export against a signed checkpoint with no server and no database (exit 0 ok, 1 broken)',
    )
    .option('--offline <export>', 'an NDJSON export (GET /v1/export or `ledger export`)')
    .option('--checkpoint <file>', 'with --offline: a signed checkpoint (JSON from GET /v1/audit/checkpoints)')
    .option('--public-key <file>', 'with --offline: the public key (PEM, or JSON from GET /v1/audit/public-key)')
    .option('--json', 'print the report as JSON')
    .action(async (options: VerifyOptions) => {
      const report = options.offline ? await verifyOffline(options) : await verifyDataDir();
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : describe(report));
      process.exitCode = report.ok ? EXIT.OK : EXIT.FAILED;
    });
}

async function verifyDataDir(): Promise<VerificationReport> {
  const session = await openAuditSession();
  const bar = progressBar('verify');
  try {
    const head = await session.store.headPosition();
    bar?.start(Math.max(head, 1), 0, { events: 0 });
    const report = await verifyLog(session.store, {
      audit: session.audit,
      publicKeys: async (keyId) => {
        const pem = await session.audit.publicKeyPem(keyId);
        return pem ? createPublicKey(pem) : null;
      },
      onProgress: ({ eventsChecked, position }) => bar?.update(position < 0 ? Math.max(head, 1) : position, { events: eventsChecked }),
    });
    return report;
  } finally {
    bar?.stop();
    await session.close();
  }
}

async function verifyOffline(options: VerifyOptions): Promise<VerificationReport> {
  if (!options.checkpoint || !options.publicKey) throw new BadInputError('--offline needs --checkpoint <file> and --public-key <file>');
  const files = { checkpoint: options.checkpoint, publicKey: options.publicKey };
  const { checkpoints, publicKey } = asBadInput(() => ({ checkpoints: readCheckpointFile(files.checkpoint), publicKey: readPublicKeyFile(files.publicKey) }));
  const treeSize = Math.max(1, ...checkpoints.map((c) => c.treeSize));
  const bar = progressBar('verify --offline');
  bar?.start(treeSize, 0, { events: 0 });
  try {
    return await verifyExportFile(options.offline!, checkpoints, publicKey, (events) => bar?.update(Math.min(events, treeSize), { events }));
  } catch (error) {
    throw error instanceof OfflineInputError ? new BadInputError(error.message) : error;
  } finally {
    bar?.stop();
  }
}

function asBadInput<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof OfflineInputError ? new BadInputError(error.message) : error;
  }
}

/** A bar on stderr, only when a person is watching (stdout stays clean for --json). */
function progressBar(label: string): SingleBar | null {
  if (!process.stderr.isTTY) return null;
  return new SingleBar({ format: `${label} [{bar}] {percentage}% | {events} events | {duration_formatted}`, stream: process.stderr, hideCursor: true });
}

function describe(report: VerificationReport & { checkpointsChecked?: number; leavesCompared?: number; treeSize?: number; eventsBeyondCheckpoint?: number }): string {
  if (report.ok) {
    const extra = [
      report.checkpointsChecked !== undefined ? `${report.checkpointsChecked} signed checkpoints recomputed` : null,
      report.leavesCompared !== undefined ? `${report.leavesCompared} Merkle leaves compared` : null,
      report.treeSize !== undefined ? `signed tree of ${report.treeSize} events matched` : null,
      report.eventsBeyondCheckpoint ? `${report.eventsBeyondCheckpoint} later events chain-checked only` : null,
    ].filter(Boolean);
    return `OK: ${report.eventsChecked} events verified${extra.length ? `; ${extra.join(', ')}` : ''}\n`;
  }
  const b = report.firstBroken as BrokenLink;
  const where = b.streamId !== null ? `${b.streamId}@${b.revision} (position ${b.position}, event ${b.eventId})` : b.position !== null ? `position ${b.position}` : 'the record';
  return [
    `BROKEN: ${b.reason} at ${where}`,
    `  ${b.message}`,
    b.expectedHash ? `  expected: ${b.expectedHash}` : null,
    b.storedHash ? `  stored:   ${b.storedHash}` : null,
    `  events checked: ${report.eventsChecked}`,
    '',
  ]
    .filter((l) => l !== null)
    .join('\n');
}
