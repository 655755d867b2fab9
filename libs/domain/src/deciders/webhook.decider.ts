import { DomainRuleError, LedgerError } from '../errors';
import { isOpened } from '../stream-state';
import { accept, type Command, type DecisionContext } from './decide';

type WebhookCommand = 'WebhookSubscribed' | 'WebhookUpdated' | 'WebhookSecretRotated' | 'WebhookDeleted';

export function decideWebhook(type: WebhookCommand, command: Command, { stream }: DecisionContext) {
  const exists = isOpened(stream, 'WebhookSubscribed');
  const deleted = isOpened(stream, 'WebhookDeleted');
  if (type === 'WebhookSubscribed') {
    if (exists) throw new DomainRuleError('WEBHOOK.ALREADY_EXISTS', `${command.streamId} exists already.`);
  } else if (!exists || deleted) {
    throw new LedgerError('WEBHOOK.NOT_FOUND', `${command.streamId} does not exist.`);
  }
  return accept(command);
}
