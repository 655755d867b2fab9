import { ValidationPipe } from '@nestjs/common';
import { flattenValidationErrors, ValidationFailed, VALIDATOR_OPTIONS } from '@ledger/domain';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';

/**
 * Unknown fields are refused, types are checked strictly, and errors are field-level.
 * Validation runs synchronously: the ledger's schemas have no async rules, and the async
 * path builds a promise per constraint, a measurable part of every write's cost.
 */
class LedgerValidationPipe extends ValidationPipe {
  protected override validate(object: object, validatorOptions?: ValidatorOptions): ValidationError[] {
    return validateSync(object, validatorOptions);
  }
}

export function ledgerValidationPipe(): ValidationPipe {
  return new LedgerValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
  });
}
