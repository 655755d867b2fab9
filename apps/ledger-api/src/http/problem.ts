import { HttpException, HttpStatus } from '@nestjs/common';
import { ERROR_CODES, LedgerError, type ErrorKind, type FieldError } from '@ledger/domain';

/** RFC 9457 problem details, with the ledger's stable code and field-level reasons. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: FieldError[];
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  rule: 422,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
};

export function statusOfCode(code: string): number {
  return STATUS[ERROR_CODES[code]?.kind ?? 'internal'];
}

/** Fastify's own errors (parsing, limits) by their code. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST.BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST.MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST.MALFORMED_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST.INVALID',
};

/** Turns anything thrown into a problem; unknown errors become a bare 500 with no internals. */
export function toProblem(error: unknown): Problem {
  if (error instanceof LedgerError) {
    return problem(error.code, error.message, error.errors, error.details);
  }
  const fastifyCode = (error as { code?: string })?.code;
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
    return problem(FASTIFY_CODES[fastifyCode], (error as Error).message);
  }
  if (error instanceof SyntaxError || (error as { statusCode?: number })?.statusCode === 400) {
    const message = (error as Error).message ?? '';
    if (/__proto__|constructor/.test(message)) return problem('REQUEST.FORBIDDEN_KEY', 'The body contains a forbidden key (__proto__ or constructor).');
    return problem('REQUEST.MALFORMED_JSON', 'The body is not valid JSON.');
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code =
      status === HttpStatus.NOT_FOUND ? 'REQUEST.NOT_FOUND'
      : status === HttpStatus.TOO_MANY_REQUESTS ? 'REQUEST.RATE_LIMITED'
      : status === HttpStatus.PAYLOAD_TOO_LARGE ? 'REQUEST.BODY_TOO_LARGE'
      : status === HttpStatus.UNSUPPORTED_MEDIA_TYPE ? 'REQUEST.UNSUPPORTED_MEDIA_TYPE'
      : status < 500 ? 'REQUEST.INVALID'
      : 'INTERNAL';
    return { ...problem(code, status < 500 ? error.message : ERROR_CODES.INTERNAL.title), status };
  }
  const status = (error as { statusCode?: number })?.statusCode;
  if (status === 413) return problem('REQUEST.BODY_TOO_LARGE', 'The body is larger than the route accepts.');
  if (status === 415) return problem('REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type.');
  return problem('INTERNAL', ERROR_CODES.INTERNAL.title);
}

export function problem(code: string, detail: string, errors: FieldError[] = [], extra: Record<string, unknown> = {}): Problem {
  return {
    type: `https://ledger.invalid/problems/${code.toLowerCase().replace(/[._]/g, '-')}`,
    title: ERROR_CODES[code]?.title ?? 'Error',
    status: statusOfCode(code),
    detail,
    code,
    errors,
    ...extra,
  };
}
