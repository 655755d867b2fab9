import { ValidationPipe } from '@nestjs/common';
import { flattenValidationErrors, ValidationFailed, VALIDATOR_OPTIONS } from '@ledger/domain';

/** Unknown fields are refused, types are checked strictly, and errors are field-level. */
export function ledgerValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
  });
}
