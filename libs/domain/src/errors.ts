/**
 * Every failure the ledger reports carries a stable string code. Codes survive crossing a
 * process (HTTP, CLI exit, webhook payload) where `instanceof` does not. Each code is
 * documented in ERROR_CODES; a test fails when one is thrown without being documented.
 */
export type ErrorKind =
  | 'invalid' // the input is malformed or fails its schema (HTTP 400)
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'conflict' // optimistic concurrency or a reused id (409)
  | 'too-large' // 413
  | 'rule' // a domain rule is broken (422)
  | 'rate-limited' // 429
  | 'unavailable' // not ready yet; retry (503)
  | 'internal'; // 500

export interface FieldError {
  /** Dotted path of the offending field: `source.url`, `demands.0`. */
  field: string;
  /** Why, one sentence per broken constraint. */
  reasons: string[];
  /** For imports: the 1-based line of the file. */
  line?: number;
}

export class LedgerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'LedgerError';
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code]?.kind ?? 'internal';
  }
}

/** A domain rule of the catalogue is broken (HTTP 422). */
export class DomainRuleError extends LedgerError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'DomainRuleError';
  }
}

export class ValidationFailed extends LedgerError {
  constructor(errors: FieldError[], message = 'The input is invalid.', code = 'REQUEST.INVALID') {
    super(code, message, {}, errors);
    this.name = 'ValidationFailed';
  }
}

export interface ErrorCodeDoc {
  kind: ErrorKind;
  title: string;
}

/** The documented codes. Add a row before throwing a new code. */
export const ERROR_CODES: Record<string, ErrorCodeDoc> = {
  // input
  'REQUEST.INVALID': { kind: 'invalid', title: 'The request failed validation; see errors[] for each field.' },
  'REQUEST.MALFORMED_JSON': { kind: 'invalid', title: 'The body is not valid JSON.' },
  'REQUEST.FORBIDDEN_KEY': { kind: 'invalid', title: 'The body contains a __proto__, constructor, prototype or other built-in key.' },
  'REQUEST.TOO_DEEP': { kind: 'invalid', title: 'The JSON is nested deeper than the ledger accepts (32 levels).' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { kind: 'invalid', title: 'The body has a content type the route does not accept.' },
  'REQUEST.BODY_TOO_LARGE': { kind: 'too-large', title: 'The body is larger than the route accepts.' },
  'REQUEST.NOT_FOUND': { kind: 'not-found', title: 'No such route.' },
  'REQUEST.RATE_LIMITED': { kind: 'rate-limited', title: 'Too many requests; retry after the Retry-After header.' },
  'REQUEST.TIMEOUT': { kind: 'unavailable', title: 'The request took longer than the server allows.' },
  'AUTH.MISSING_KEY': { kind: 'unauthorized', title: 'No API key was given.' },
  'AUTH.BAD_KEY': { kind: 'unauthorized', title: 'The API key is not known.' },
  'AUTH.FORBIDDEN': { kind: 'forbidden', title: 'The API key lacks the role this route needs.' },
  'EVENT.UNKNOWN_TYPE': { kind: 'invalid', title: 'The event type is not in the catalogue.' },
  'EVENT.BAD_STREAM': { kind: 'invalid', title: 'The stream id does not fit the event type.' },
  'IMPORT.INVALID': { kind: 'invalid', title: 'One or more import lines are invalid; see errors[] by line.' },
  // not found
  'EVENT.NOT_FOUND': { kind: 'not-found', title: 'No event has this id.' },
  'STREAM.NOT_FOUND': { kind: 'not-found', title: 'No stream has this id.' },
  'JURISDICTION.NOT_FOUND': { kind: 'not-found', title: 'No jurisdiction has this id.' },
  'OFFICIAL.NOT_FOUND': { kind: 'not-found', title: 'No official has this id.' },
  'ORGANIZATION.NOT_FOUND': { kind: 'not-found', title: 'No organization has this id.' },
  'MEETING.NOT_FOUND': { kind: 'not-found', title: 'No meeting has this id.' },
  'WEBHOOK.NOT_FOUND': { kind: 'not-found', title: 'No webhook subscription has this id.' },
  // conflicts
  'STREAM.REVISION_CONFLICT': { kind: 'conflict', title: 'The stream is not at the expected revision.' },
  'EVENT.ID_REUSED': { kind: 'conflict', title: 'The event id was used before with a different body.' },
  // domain rules
  'JURISDICTION.ALREADY_REGISTERED': { kind: 'rule', title: 'The jurisdiction is registered already.' },
  'JURISDICTION.NOT_REGISTERED': { kind: 'rule', title: 'The jurisdiction must be registered first.' },
  'ORGANIZATION.ALREADY_REGISTERED': { kind: 'rule', title: 'The organization is registered already.' },
  'OFFICIAL.ALREADY_REGISTERED': { kind: 'rule', title: 'The official is registered already.' },
  'MEETING.ALREADY_SCHEDULED': { kind: 'rule', title: 'The meeting is scheduled already.' },
  'MEETING.NOT_SCHEDULED': { kind: 'rule', title: 'The meeting must be scheduled first.' },
  'LETTER.ALREADY_SENT': { kind: 'rule', title: 'A letter with this letterId exists in the jurisdiction already.' },
  'LETTER.NOT_FOUND': { kind: 'rule', title: 'The letter named by letterId was not sent to this jurisdiction.' },
  'DEADLINE.ALREADY_SET': { kind: 'rule', title: 'A deadline with this deadlineId exists already.' },
  'DEADLINE.BEFORE_LETTER': { kind: 'rule', title: 'A deadline cannot fall before the date of its letter.' },
  'DEADLINE.NOT_FOUND': { kind: 'rule', title: 'The deadline named by deadlineId does not exist.' },
  'DEADLINE.NOT_LAPSED': { kind: 'rule', title: 'The deadline has been answered, has lapsed already, or is not yet due.' },
  'SPEAKER.NOT_REGISTERED': { kind: 'rule', title: 'The speaker must be registered before a statement.' },
  'STATEMENT.ALREADY_RECORDED': { kind: 'rule', title: 'A statement with this statementId exists already.' },
  'OFFICIAL.NOT_REGISTERED': { kind: 'rule', title: 'The official must be registered first.' },
  'BOYCOTT.ALREADY_DECLARED': { kind: 'rule', title: 'The official has declared a boycott of this meeting already.' },
  'TARGET.NOT_FOUND': { kind: 'rule', title: 'The event to correct or retract is not in this stream.' },
  'TARGET.RETRACTED': { kind: 'rule', title: 'The event was retracted; it cannot be corrected or retracted again.' },
  'TARGET.NOT_RETRACTABLE': { kind: 'rule', title: 'Registrations and retractions cannot be retracted; correct them instead.' },
  'CORRECTION.STALE_FROM': { kind: 'rule', title: "A change's `from` is not the field's current value." },
  'CORRECTION.INVALID_RESULT': { kind: 'rule', title: 'The corrected event would no longer satisfy its schema.' },
  'CORRECTION.NOT_CORRECTABLE': { kind: 'rule', title: 'This kind of event cannot be corrected.' },
  'WEBHOOK.ALREADY_EXISTS': { kind: 'rule', title: 'The webhook subscription exists already.' },
  'WEBHOOK.URL_REFUSED': { kind: 'invalid', title: 'The webhook URL points at a refused address or scheme.' },
  // audit
  'AUDIT.TREE_SIZE_OUT_OF_RANGE': { kind: 'invalid', title: 'treeSize is beyond the log or not a positive integer.' },
  'AUDIT.EVENT_NOT_IN_TREE': { kind: 'invalid', title: 'The event is a leaf beyond the requested treeSize.' },
  'AUDIT.NOT_YET_RECORDED': { kind: 'unavailable', title: 'The event is not in the Merkle record yet; retry shortly.' },
  // availability
  'PROJECTION.BEHIND': { kind: 'unavailable', title: 'The projection has not reached minPosition yet; retry.' },
  'PROJECTION.NOT_FOUND': { kind: 'not-found', title: 'No projection has this name.' },
  'STORE.UNAVAILABLE': { kind: 'unavailable', title: 'The event store cannot be reached.' },
  'INTERNAL': { kind: 'internal', title: 'Something failed inside the ledger; quote the request id.' },
};
