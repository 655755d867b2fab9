import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsActorRef, IsSlug, IsText } from './common.schema';

export const CHANNELS = ['press-statement', 'tweet', 'interview', 'letter', 'briefing', 'testimony'] as const;
export const STANCES = ['supportive', 'critical', 'neutral'] as const;
export const BOYCOTT_FORMS = ['boycott', 'non-attendance'] as const;
export type Channel = (typeof CHANNELS)[number];
export type Stance = (typeof STANCES)[number];
export type BoycottForm = (typeof BOYCOTT_FORMS)[number];

/** What a statement can be about: an actor (`jurisdiction:chicago-il`) or an event (`event:<uuid>`). */
export const ABOUT_REF_PATTERN =
  /^((jurisdiction|official|organization|meeting):[a-z0-9]+(-[a-z0-9]+)*|event:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** official-<id> or organization-<id>: the speaker's own stream. */
export class StatementIssuedData {
  @IsSlug() readonly statementId!: string;
  @IsIn(CHANNELS) readonly channel!: Channel;
  @IsText(10000) readonly quote!: string;
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true })
  @Matches(ABOUT_REF_PATTERN, { each: true, message: 'each about entry must be an actor, meeting or event reference' })
  readonly about!: string[];
  @IsOptional() @IsIn(STANCES) readonly stance?: Stance;
  /** Where it was said (`Capitol Hill`), when the source says. */
  @IsOptional() @IsText(300) readonly venue?: string;
  /** The organization an official spoke for, or the official an organization's statement came through. */
  @IsOptional() @IsActorRef() readonly onBehalfOf?: string;
  /** What the source claims was said or meant, where it paraphrases rather than quotes. */
  @IsOptional() @IsText(5000) readonly claim?: string;
}

/** official-<id>: the official stayed away from a meeting. */
export class BoycottDeclaredData {
  @IsSlug() readonly meetingId!: string;
  @IsOptional() @IsText(5000) readonly reason?: string;
  /** `boycott` when the source says so; `non-attendance` when it only says they did not attend. Default boycott. */
  @IsOptional() @IsIn(BOYCOTT_FORMS) readonly form?: BoycottForm;
}
