import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, Validate, ValidateNested, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { PRECISIONS, type Precision } from '../envelope';
import { CONFIDENCE_LEVELS, IsDateOrTimestamp, IsSlug, Source, type Confidence } from './common.schema';

@ValidatorConstraint({ name: 'expectedRevision' })
export class ExpectedRevisionConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (
      (typeof value === 'number' && Number.isInteger(value) && value >= -1) ||
      value === 'any' ||
      value === 'no-stream' ||
      value === 'exists'
    );
  }
  defaultMessage(): string {
    return 'expectedRevision must be an integer ≥ -1 or one of "any", "no-stream", "exists"';
  }
}

/**
 * The envelope fields a client may send alongside an event's data. Everything else in
 * the envelope (revision, position, recordedAt, recordedBy, hashes) is the server's.
 */
export class EnvelopeFields {
  @IsOptional() @IsUUID() readonly eventId?: string;
  @IsOptional() @IsIn(PRECISIONS) readonly occurredAtPrecision?: Precision;
  @IsOptional() @IsIn(CONFIDENCE_LEVELS) readonly confidence?: Confidence;
  @IsOptional() @Validate(ExpectedRevisionConstraint) readonly expectedRevision?: number | 'any' | 'no-stream' | 'exists';
}

/** An action (a letter, a threat, a statement…) must say when it happened and where that is reported. */
export class ActionFields extends EnvelopeFields {
  @IsDateOrTimestamp() readonly occurredAt!: string;
  @ValidateNested() @Type(() => Source) readonly source!: Source;
}

/** A registration names its id; when and where from are optional. */
export class RegistrationFields extends EnvelopeFields {
  @IsSlug() readonly id!: string;
  @IsOptional() @IsDateOrTimestamp() readonly occurredAt?: string;
  @IsOptional() @ValidateNested() @Type(() => Source) readonly source?: Source;
}

/** Corrections and retractions: the target comes from the path; the source is optional. */
export class RecordFixFields extends EnvelopeFields {
  @IsOptional() @IsDateOrTimestamp() readonly occurredAt?: string;
  @IsOptional() @ValidateNested() @Type(() => Source) readonly source?: Source;
}

/** Keys of the body that belong to the envelope rather than to the event's data. */
export const ENVELOPE_KEYS = ['id', 'eventId', 'occurredAt', 'occurredAtPrecision', 'source', 'confidence', 'expectedRevision'] as const;
