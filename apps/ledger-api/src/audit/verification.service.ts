import { Inject, Injectable } from '@nestjs/common';
import { AuditStore, Checkpointer, verifyLog, type LogVerificationReport } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { CheckpointerLifecycle } from '@ledger/audit';

/** Runs verifications; concurrent requests share the one in progress instead of rereading the log. */
@Injectable()
export class VerificationService {
  private running: Promise<LogVerificationReport> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly audit: AuditStore,
    private readonly checkpointer: Checkpointer,
    private readonly lifecycle: CheckpointerLifecycle,
  ) {}

  verify(): Promise<LogVerificationReport> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Brings the Merkle record up to the log's head first, when this process keeps it. */
  async syncRecord(): Promise<void> {
    if (this.lifecycle.running) await this.checkpointer.sync();
  }

  private async run(): Promise<LogVerificationReport> {
    await this.syncRecord();
    return verifyLog(this.store, { audit: this.audit, publicKeys: (keyId) => this.publicKey(keyId) });
  }

  private async publicKey(keyId: string): Promise<KeyObject | null> {
    const pem = await this.audit.publicKeyPem(keyId);
    return pem ? createPublicKey(pem) : null;
  }
}
