import type { MessageStatus } from '../store/outbox';
import type { Subscription } from '../store/subscription-store';

/** A subscription as the API shows it: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  eventTypes: string[];
  jurisdictions: string[];
  actors: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  /** When the current run of failed attempts began, or null. */
  failingSince: string | null;
  /** Deliveries start after this position (its WebhookSubscribed event). */
  startPosition: number;
  /** Every matching event up to here is queued or delivered. */
  checkpoint: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  messages?: Record<MessageStatus, number>;
}

export function toView(s: Subscription, messages?: Record<MessageStatus, number>): WebhookView {
  return {
    id: s.id,
    url: s.url,
    eventTypes: [...s.eventTypes],
    jurisdictions: [...s.jurisdictions],
    actors: [...s.actors],
    description: s.description,
    enabled: s.enabled,
    disabledReason: s.disabledReason,
    failingSince: s.failingSince === null ? null : new Date(s.failingSince).toISOString(),
    startPosition: s.startPosition,
    checkpoint: s.checkpoint,
    createdAt: s.createdAt,
    createdBy: s.createdBy,
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy,
    ...(messages ? { messages } : {}),
  };
}
