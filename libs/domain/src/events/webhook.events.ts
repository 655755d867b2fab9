import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min } from 'class-validator';
import { HTTP_URL, IsText } from './common.schema';

/**
 * webhook-<id>: subscription changes are recorded in the ledger so that the audit trail
 * shows who subscribed to what and when. The secret never appears here.
 */
export class WebhookSubscribedData {
  @IsUrl(HTTP_URL) @MaxLength(2000) readonly url!: string;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) readonly eventTypes!: string[];
  @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) readonly jurisdictions!: string[];
  @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) readonly actors!: string[];
  @IsOptional() @IsText(1000) readonly description?: string;
}

export class WebhookUpdatedData {
  @IsOptional() @IsUrl(HTTP_URL) @MaxLength(2000) readonly url?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) readonly eventTypes?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) readonly jurisdictions?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) readonly actors?: string[];
  @IsOptional() @IsText(1000) readonly description?: string;
  @IsOptional() @IsBoolean() readonly enabled?: boolean;
  /** Why it changed, for changes the ledger makes itself (an endpoint disabled after failing). */
  @IsOptional() @IsText(1000) readonly reason?: string;
}

export class WebhookSecretRotatedData {
  @IsInt() @Min(0) @Max(30 * 24 * 3600) readonly overlapSeconds!: number;
}

export class WebhookDeletedData {
  @IsOptional() @IsText(1000) readonly reason?: string;
}
