export interface AuditConfig {
  /** Sign a checkpoint every this many events… */
  checkpointEveryEvents: number;
  /** …and every this many seconds while the log grows (0 turns the timer off). */
  checkpointEverySeconds: number;
  /** Run the checkpointer in this process (off for api processes when a worker runs it). */
  checkpointer: boolean;
}

function positiveInt(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got "${raw}")`);
  return n;
}

/** LEDGER_AUDIT_CHECKPOINT_EVERY (1000), LEDGER_AUDIT_CHECKPOINT_SECONDS (60), LEDGER_AUDIT_CHECKPOINTER (on). */
export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const switchValue = (env.LEDGER_AUDIT_CHECKPOINTER ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(switchValue)) {
    throw new Error(`LEDGER_AUDIT_CHECKPOINTER must be on or off (got "${env.LEDGER_AUDIT_CHECKPOINTER}")`);
  }
  return {
    checkpointEveryEvents: positiveInt('LEDGER_AUDIT_CHECKPOINT_EVERY', env.LEDGER_AUDIT_CHECKPOINT_EVERY, 1000, 1),
    checkpointEverySeconds: positiveInt('LEDGER_AUDIT_CHECKPOINT_SECONDS', env.LEDGER_AUDIT_CHECKPOINT_SECONDS, 60, 0),
    checkpointer: ['on', 'true', '1'].includes(switchValue),
  };
}
