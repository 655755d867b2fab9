import { LedgerError } from '@ledger/domain';

/** A webhook target the guard refuses: a scheme, a credential, or an address. 400 at the API. */
export class UrlRefusedError extends LedgerError {
  constructor(readonly reason: string) {
    super('WEBHOOK.URL_REFUSED', `The webhook URL is refused: ${reason}.`, {}, [{ field: 'url', reasons: [reason] }]);
    this.name = 'UrlRefusedError';
  }
}
