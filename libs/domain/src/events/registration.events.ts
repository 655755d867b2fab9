import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsActorRef, IsDateOrTimestamp, IsSlug, IsText } from './common.schema';

export const JURISDICTION_KINDS = ['city', 'county', 'city-county', 'metro', 'state'] as const;
export const ORGANIZATION_LEVELS = ['federal', 'state', 'local', 'association'] as const;
export const PARTIES = ['democratic', 'republican', 'independent', 'other', 'unknown'] as const;
export type JurisdictionKind = (typeof JURISDICTION_KINDS)[number];
export type OrganizationLevel = (typeof ORGANIZATION_LEVELS)[number];
export type Party = (typeof PARTIES)[number];

/** jurisdiction-<id>, once per stream. */
export class JurisdictionRegisteredData {
  @IsText(200) readonly name!: string;
  @IsIn(JURISDICTION_KINDS) readonly kind!: JurisdictionKind;
  @Matches(/^[A-Z]{2}$/, { message: 'state must be a two-letter postal code like "IL"' })
  readonly state!: string;
}

/** organization-<id>, once per stream. */
export class OrganizationRegisteredData {
  @IsText(200) readonly name!: string;
  @IsIn(ORGANIZATION_LEVELS) readonly level!: OrganizationLevel;
  /** The organization this one belongs to (the BJA within DOJ). */
  @IsOptional() @IsSlug() readonly parentId?: string;
}

/** official-<id>, once per stream. */
export class OfficialRegisteredData {
  @IsText(200) readonly name!: string;
  @IsText(200) readonly title!: string;
  /** Organization id (`us-doj`), when the official speaks for one. */
  @IsOptional() @IsSlug() readonly organization?: string;
  @IsOptional() @IsIn(PARTIES) readonly party?: Party;
  @IsOptional() @IsSlug() readonly jurisdictionId?: string;
}

/** meeting-<id>, once per stream. */
export class MeetingScheduledData {
  @IsText(300) readonly title!: string;
  @IsActorRef() readonly host!: string;
  @IsDateOrTimestamp() readonly scheduledFor!: string;
  @IsOptional() @IsText(300) readonly location?: string;
  @IsOptional() @IsActorRef(true) readonly invitees?: string[];
}

/** meeting-<id>: the meeting took place. */
export class MeetingHeldData {
  @IsOptional() @IsText(300) readonly location?: string;
  @IsOptional() @IsText(2000) readonly notes?: string;
}
