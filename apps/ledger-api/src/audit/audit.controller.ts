import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  AuditProofs,
  AuditStore,
  CHECKPOINT_SIGNER,
  encodeCursor,
  publicKeyDocument,
  type Checkpoint,
  type CheckpointSigner,
  type ConsistencyProof,
  type InclusionProof,
  type LogVerificationReport,
  type PublicKeyDocument,
} from '@ledger/audit';
import { Public, Roles } from '../http/auth/roles.decorator';
import { UuidPipe } from '../writes/slug.pipe';
import { QueryReader } from './query-reader';
import { VerificationService } from './verification.service';

const MAX_TREE = Number.MAX_SAFE_INTEGER;

/** Chain verification, signed checkpoints and Merkle proofs (RFC 9162). */
@ApiTags('audit')
@Roles('auditor')
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly verification: VerificationService,
    private readonly audit: AuditStore,
    private readonly proofs: AuditProofs,
    @Inject(CHECKPOINT_SIGNER) private readonly signer: CheckpointSigner,
  ) {}

  @Get('verify')
  @ApiOperation({ summary: "Recompute every stream's hash chain, the Merkle record and every signed checkpoint: {ok, eventsChecked, firstBroken}" })
  verify(@Query() query: Record<string, unknown>): Promise<LogVerificationReport> {
    new QueryReader(query, []).done();
    return this.verification.verify();
  }

  @Get('checkpoints')
  @ApiOperation({ summary: 'Signed checkpoints {treeSize, rootHash, timestamp, signature, keyId}, newest first (limit, cursor)' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000 (default 100)' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  async checkpoints(@Query() query: Record<string, unknown>): Promise<{ items: Checkpoint[]; nextCursor: string | null }> {
    const q = new QueryReader(query, ['limit', 'cursor']);
    const limit = q.int('limit', 1, 1000) ?? 100;
    const before = q.cursor();
    q.done();
    const items = await this.audit.listCheckpoints({ limit: limit + 1, before });
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? encodeCursor(page[page.length - 1].treeSize) : null };
  }

  @Get('public-key')
  @Public()
  @ApiOperation({ summary: "The Ed25519 key that signs checkpoints (SPKI PEM and raw base64); anyone may fetch it" })
  publicKey(): PublicKeyDocument {
    return publicKeyDocument(this.signer.publicKey);
  }

  @Get('proofs/:eventId')
  @ApiOperation({ summary: 'Inclusion proof of an event in the tree of treeSize leaves (default: the newest checkpoint)' })
  @ApiQuery({ name: 'treeSize', required: false, description: 'Tree size to prove against (default: the newest checkpoint)' })
  async inclusion(@Param('eventId', UuidPipe) eventId: string, @Query() query: Record<string, unknown>): Promise<InclusionProof> {
    const q = new QueryReader(query, ['treeSize']);
    const treeSize = q.int('treeSize', 1, MAX_TREE);
    q.done();
    await this.verification.syncRecord();
    return this.proofs.inclusion(eventId, treeSize);
  }

  @Get('consistency')
  @ApiOperation({ summary: 'Consistency proof that the tree of `to` leaves extends the tree of `from` leaves' })
  @ApiQuery({ name: 'from', required: true, description: 'The older tree size (≥ 1)' })
  @ApiQuery({ name: 'to', required: true, description: 'The newer tree size (≤ the events recorded)' })
  async consistency(@Query() query: Record<string, unknown>): Promise<ConsistencyProof> {
    const q = new QueryReader(query, ['from', 'to']);
    const from = q.int('from', 1, MAX_TREE);
    const to = q.int('to', 1, MAX_TREE);
    if (query?.from === undefined) q.fail('from', 'from is required');
    if (query?.to === undefined) q.fail('to', 'to is required');
    q.done();
    await this.verification.syncRecord();
    return this.proofs.consistency(from!, to!);
  }
}
