import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { HTTP_URL, IsActorRef, IsDateOrTimestamp, IsSlug, IsText } from './common.schema';

export const THREATS = ['subpoena', 'funding-cut', 'prosecution'] as const;
export const COMPLETENESS = ['complete', 'partial', 'refused'] as const;
export type Threat = (typeof THREATS)[number];
export type Completeness = (typeof COMPLETENESS)[number];

export class LetterSentData {
  @IsSlug() readonly letterId!: string;
  @IsActorRef() readonly from!: string;
  @IsText(500) readonly subject!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(10000, { each: true })
  readonly demands!: string[];
  @IsArray() @ArrayMaxSize(3) @ArrayUnique() @IsIn(THREATS, { each: true })
  readonly threats!: Threat[];
  /** Who signed it (`official:jon-adler`). */
  @IsOptional() @IsActorRef() readonly signedBy?: string;
  @IsOptional() @IsUrl(HTTP_URL) @MaxLength(2000) readonly documentUrl?: string;
}

export class DeadlineSetData {
  @IsSlug() readonly deadlineId!: string;
  @IsSlug() readonly letterId!: string;
  @IsDateOrTimestamp() readonly dueAt!: string;
  @IsText(2000) readonly requirement!: string;
}

export class ResponseReceivedData {
  @IsSlug() readonly letterId!: string;
  @IsIn(COMPLETENESS) readonly completeness!: Completeness;
  @IsText(5000) readonly summary!: string;
}

/** Appended by the deadline watcher (recordedBy `system`). */
export class DeadlineLapsedData {
  @IsSlug() readonly deadlineId!: string;
  @IsOptional() @IsSlug() readonly letterId?: string;
  @IsOptional() @IsDateOrTimestamp() readonly dueAt?: string;
}

export class SubpoenaThreatenedData {
  @IsActorRef() readonly by!: string;
  @IsOptional() @IsSlug() readonly letterId?: string;
  @IsText(2000) readonly condition!: string;
}

export class SubpoenaIssuedData {
  @IsActorRef() readonly by!: string;
  @IsText(2000) readonly subject!: string;
}

export class FundingThreatenedData {
  @IsActorRef() readonly by!: string;
  @IsText(300) readonly program!: string;
  @IsText(2000) readonly condition!: string;
  @IsOptional() @IsSlug() readonly letterId?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(500, { each: true })
  readonly measures?: string[];
}
