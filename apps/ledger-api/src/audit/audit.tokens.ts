/** DI tokens of the audit module (wiring only). */
export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');
export const CHECKPOINT_SIGNER = Symbol('CHECKPOINT_SIGNER');
export const TIMELINE_SOURCE = Symbol('TIMELINE_SOURCE');
export const AUDIT_OPTIONS = Symbol('AUDIT_OPTIONS');

export interface AuditModuleOptions {
  /** Run the checkpointer in this process (embedded mode), unless LEDGER_AUDIT_CHECKPOINTER=off. */
  background: boolean;
  env?: NodeJS.ProcessEnv;
}
