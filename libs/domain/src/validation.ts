import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { FieldError } from './errors';
import { EVENT_CATALOGUE, type EventType } from './events/catalogue';
import { cacheValidationMetadata } from './validation-metadata-cache';
import { passesPlan } from './validation-plan';

cacheValidationMetadata();

export const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/** class-validator's tree of errors, flattened to `{ field: 'source.url', reasons: [...] }`. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      const reasons = Object.entries(error.constraints).map(([rule, text]) =>
        rule === 'whitelistValidation' ? `${error.property} is not a known field` : text,
      );
      out.push({ field, reasons });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** Checks a plain object against a schema class; returns the field errors (empty when valid). */
export function validateAgainst(schema: new () => object, value: unknown, prefix = ''): FieldError[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ field: prefix || '(body)', reasons: [`${prefix || 'value'} must be an object`] }];
  }
  // Most values are valid: a plan says so quickly; class-validator gives the reasons otherwise.
  if (passesPlan(schema, value)) return [];
  return libraryErrors(schema, value, prefix);
}

/** class-validator's own answer, on the instance class-transformer makes of the value. */
export function libraryErrors(schema: new () => object, value: object, prefix = ''): FieldError[] {
  const instance = plainToInstance(schema, value, { enableImplicitConversion: false });
  return flattenValidationErrors(validateSync(instance, VALIDATOR_OPTIONS), prefix);
}

export function validateEventData(type: EventType, data: unknown, prefix = 'data'): FieldError[] {
  return validateAgainst(EVENT_CATALOGUE[type].schema, data, prefix);
}
