import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { isForbiddenKey } from '../json-shape';
import { IsText } from './common.schema';

/**
 * Paths a correction may change, rooted in the event: `data.name`, `data.demands.0`,
 * `metadata.source.quote`, `metadata.confidence`, `occurredAt`.
 */
export const CORRECTION_PATH_PATTERN =
  /^(data(\.[A-Za-z0-9_]+)+|metadata\.source(\.[A-Za-z0-9_]+)+|metadata\.confidence|occurredAt|occurredAtPrecision)$/;

export const CORRECTION_KINDS = ['spelling', 'attribution', 'characterisation', 'framing', 'quote-wording', 'date', 'other'] as const;

/**
 * A path through `constructor`, `__proto__`, `toString`… would set a key no body may carry
 * (see json-shape.ts): class-transformer drops such keys, so the corrected event's schema
 * check never saw them and the correction was accepted.
 */
const NamesNoBuiltIn = (): PropertyDecorator =>
  ValidateBy({
    name: 'namesNoBuiltIn',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !value.split('.').some(isForbiddenKey),
      defaultMessage: () => 'path must not name __proto__, constructor, prototype or a name every object inherits (toString…)',
    },
  });

export class FieldChange {
  @IsString() @MaxLength(200)
  @Matches(CORRECTION_PATH_PATTERN, { message: 'path must start with data., metadata.source., metadata.confidence or occurredAt' })
  @NamesNoBuiltIn()
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
