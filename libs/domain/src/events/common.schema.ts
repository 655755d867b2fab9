import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ACTOR_REF_PATTERN, SLUG_MAX_LENGTH, SLUG_PATTERN } from '../ids';

/** Shared decorators, so that every schema says "slug" or "actor" the same way. */
export const IsSlug = (): PropertyDecorator => (target, key) => {
  IsString()(target, key);
  MaxLength(SLUG_MAX_LENGTH)(target, key);
  Matches(SLUG_PATTERN, { message: '$property must be a lower-case slug like "chicago-il"' })(target, key);
};

export const IsActorRef = (each = false): PropertyDecorator => (target, key) => {
  IsString({ each })(target, key);
  MaxLength(SLUG_MAX_LENGTH + 20, { each })(target, key);
  Matches(ACTOR_REF_PATTERN, {
    each,
    message: '$property must be an actor reference like "organization:us-doj"',
  })(target, key);
};

export const IsText = (max: number): PropertyDecorator => (target, key) => {
  IsString()(target, key);
  IsNotEmpty()(target, key);
  MaxLength(max)(target, key);
};

/** A calendar date (`2018-01-24`) or a full timestamp with zone (`2018-01-24T15:00:00-05:00`). */
export const DATE_OR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
export const IsDateOrTimestamp = (): PropertyDecorator => (target, key) => {
  IsString()(target, key);
  Matches(DATE_OR_TIMESTAMP, {
    message: '$property must be an ISO-8601 date (2018-01-24) or timestamp with zone (2018-01-24T15:00:00Z)',
  })(target, key);
  IsISO8601({ strict: true, strictSeparator: true })(target, key);
};

export const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export const CONFIDENCE_LEVELS = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

/** Where a fact comes from. Every action carries one. */
export class Source {
  @IsText(200)
  readonly publication!: string;

  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(2000)
  readonly url?: string;

  @IsOptional()
  @IsText(500)
  readonly title?: string;

  @IsOptional()
  @IsDateOrTimestamp()
  readonly publishedAt?: string;

  @IsOptional()
  @IsText(10000)
  readonly quote?: string;
}

export class ConfidenceField {
  @IsOptional()
  @IsIn(CONFIDENCE_LEVELS)
  readonly confidence?: Confidence;
}

export const SourceField = (): PropertyDecorator => (target, key) => {
  ValidateNested()(target, key);
  Type(() => Source)(target, key);
};
