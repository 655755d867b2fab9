import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsText } from './common.schema';

/**
 * Paths a correction may change, rooted in the event: `data.name`, `data.demands.0`,
 * `metadata.source.quote`, `metadata.confidence`, `occurredAt`.
 */
export const CORRECTION_PATH_PATTERN =
  /^(data(\.[A-Za-z0-9_]+)+|metadata\.source(\.[A-Za-z0-9_]+)+|metadata\.confidence|occurredAt|occurredAtPrecision)$/;

export const CORRECTION_KINDS = ['spelling', 'attribution', 'characterisation', 'framing', 'quote-wording', 'date', 'other'] as const;

export class FieldChange {
  @IsString() @MaxLength(200)
  @Matches(CORRECTION_PATH_PATTERN, { message: 'path must start with data., metadata.source., metadata.confidence or occurredAt' })
  readonly path!: string;
  /** The value being replaced (null when the field was absent). Must match the current value. */
  @ValidateIf((_, value) => value !== null) @IsDefined() readonly from!: unknown;
  /** The new value (null removes the field). */
  @ValidateIf((_, value) => value !== null) @IsDefined() readonly to!: unknown;
}

/** Lives in the corrected event's stream. */
export class CorrectionRecordedData {
  @IsUUID() readonly targetEventId!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => FieldChange)
  readonly changes!: FieldChange[];
  @IsText(5000) readonly reason!: string;
  @IsOptional() @IsIn(CORRECTION_KINDS) readonly kind?: (typeof CORRECTION_KINDS)[number];
}

/** Lives in the retracted event's stream. */
export class EventRetractedData {
  @IsUUID() readonly targetEventId!: string;
  @IsText(5000) readonly reason!: string;
}
