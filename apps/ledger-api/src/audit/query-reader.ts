import { decodeCursor, isDateOrInstant } from '@ledger/audit';
import { ValidationFailed, type FieldError } from '@ledger/domain';

/**
 * Reads a query string strictly: unknown parameters, repeated single values and bad
 * formats are collected as field errors and thrown together by done().
 */
export class QueryReader {
  private readonly errors: FieldError[] = [];

  constructor(
    private readonly query: Record<string, unknown>,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(query ?? {})) {
      if (!allowed.includes(key)) this.fail(key, `${key} is not a known parameter (known: ${allowed.join(', ')})`);
    }
  }

  fail(field: string, reason: string): void {
    this.errors.push({ field, reasons: [reason] });
  }

  string(name: string, check?: { pattern: RegExp; message: string }): string | undefined {
    const raw = this.query?.[name];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') return void this.fail(name, `${name} may be given once`);
    if (check && !check.pattern.test(raw)) return void this.fail(name, check.message);
    return raw;
  }

  /** `type=A,B` or `type=A&type=B`. */
  list(name: string, check: { pattern: RegExp; message: string }): string[] | undefined {
    const raw = this.query?.[name];
    if (raw === undefined) return undefined;
    const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
    const bad = values.filter((v) => !check.pattern.test(v));
    if (values.length === 0 || bad.length) return void this.fail(name, check.message);
    return values;
  }

  int(name: string, min: number, max: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || n < min || n > max) return void this.fail(name, `${name} must be an integer from ${min} to ${max}`);
    return n;
  }

  date(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!isDateOrInstant(raw)) return void this.fail(name, `${name} must be a date (2018-01-24) or an instant with offset (2018-01-24T15:00:00Z)`);
    return raw;
  }

  cursor(name = 'cursor'): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const position = decodeCursor(raw);
    if (position === null) return void this.fail(name, `${name} is not a cursor this server issued`);
    return position;
  }

  done(): void {
    if (this.errors.length) throw new ValidationFailed(this.errors);
  }
}
