import { Type } from 'class-transformer';
import { Allow, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { PRECISIONS, type Precision } from '../envelope';
import { CONFIDENCE_LEVELS, IsDateOrTimestamp, Source, type Confidence } from './common.schema';

export class ImportMetadata {
  @IsOptional() @ValidateNested() @Type(() => Source) readonly source?: Source;
  @IsOptional() @IsIn(CONFIDENCE_LEVELS) readonly confidence?: Confidence;
  // The server's own metadata in an exported line is accepted and ignored on import.
  @Allow() readonly recordedBy?: unknown;
  @Allow() readonly schemaVersion?: unknown;
  @Allow() readonly correlationId?: unknown;
  @Allow() readonly causationId?: unknown;
}

/**
 * One NDJSON import line: an envelope without the server's fields. An exported line (which
 * has them) reads back into a fresh ledger: revision, position, recordedAt and the hashes
 * are accepted and ignored, since the importing ledger assigns its own.
 */
export class ImportLine {
  @IsString() @MaxLength(100) readonly type!: string;
  @IsString() @MaxLength(200) readonly streamId!: string;
  @IsOptional() @IsUUID() readonly eventId?: string;
  @IsDateOrTimestamp() readonly occurredAt!: string;
  @IsOptional() @IsIn(PRECISIONS) readonly occurredAtPrecision?: Precision;
  @IsObject() readonly data!: Record<string, unknown>;
  @ValidateNested() @Type(() => ImportMetadata) readonly metadata!: ImportMetadata;
  @Allow() readonly revision?: unknown;
  @Allow() readonly position?: unknown;
  @Allow() readonly recordedAt?: unknown;
  @Allow() readonly prevHash?: unknown;
  @Allow() readonly hash?: unknown;
}
