import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { ACTOR_REF_PATTERN, EVENT_TYPES, IsDateOrTimestamp, IsText, SLUG_MAX_LENGTH, SLUG_PATTERN } from '@ledger/domain';
import { FILTER_LIMITS, MAX_DESCRIPTION, MAX_OVERLAP_SECONDS, MAX_URL_LENGTH } from '@ledger/webhooks';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/**
 * Request bodies of /v1/webhooks. Shapes and lists are checked here; the URL's scheme and
 * address are the URL guard's to judge (WEBHOOK.URL_REFUSED), so that every refusal
 * names its reason the same way at creation and on a change.
 */
class FilterFields {
  @ApiPropertyOptional({ description: 'Only these event types (default: every type but the Webhook* bookkeeping)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FILTER_LIMITS.eventTypes)
  @IsIn(EVENT_TYPES, { each: true, message: 'each value in $property must be an event type of the catalogue' })
  readonly eventTypes?: string[];

  @ApiPropertyOptional({ description: 'Only events concerning one of these jurisdictions (ids like chicago-il)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FILTER_LIMITS.jurisdictions)
  @IsString({ each: true })
  @MaxLength(SLUG_MAX_LENGTH, { each: true })
  @Matches(SLUG_PATTERN, { each: true, message: 'each value in $property must be a jurisdiction id like "chicago-il"' })
  readonly jurisdictions?: string[];

  @ApiPropertyOptional({ description: 'Only events concerning one of these actors (refs like organization:us-doj)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FILTER_LIMITS.actors)
  @IsString({ each: true })
  @MaxLength(SLUG_MAX_LENGTH + 20, { each: true })
  @Matches(ACTOR_REF_PATTERN, { each: true, message: 'each value in $property must be an actor reference like "organization:us-doj"' })
  readonly actors?: string[];

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION })
  @IsOptional()
  @IsText(MAX_DESCRIPTION)
  readonly description?: string;
}

export class CreateWebhookBody extends FilterFields {
  @ApiProperty({ description: 'http(s) URL of the receiver', maxLength: MAX_URL_LENGTH })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  readonly url!: string;
}

export class UpdateWebhookBody extends FilterFields {
  @ApiPropertyOptional({ maxLength: MAX_URL_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  readonly url?: string;

  @ApiPropertyOptional({ description: 'false switches deliveries off; true switches them on again (owed messages are retried afresh)' })
  @IsOptional()
  @IsBoolean()
  readonly enabled?: boolean;
}

export class RotateSecretBody {
  @ApiPropertyOptional({ description: 'How long the old secret keeps signing (default LEDGER_WEBHOOK_SECRET_OVERLAP, 24 h)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OVERLAP_SECONDS)
  readonly overlapSeconds?: number;
}

export class ReplayBody {
  @ApiPropertyOptional({ description: 'First position to send again (inclusive); or give `from`' })
  @IsOptional()
  @IsInt()
  @Min(0)
  readonly fromPosition?: number;

  @ApiPropertyOptional({ description: 'Record time to send again from (inclusive); or give `fromPosition`' })
  @IsOptional()
  @IsDateOrTimestamp()
  readonly from?: string;

  @ApiPropertyOptional({ description: 'Record time to stop at (inclusive)' })
  @IsOptional()
  @IsDateOrTimestamp()
  readonly to?: string;

  @ApiPropertyOptional({ description: 'Last position to send again (inclusive)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  readonly toPosition?: number;
}
