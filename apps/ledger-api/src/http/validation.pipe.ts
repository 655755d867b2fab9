import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { flattenValidationErrors, passesPlan, ValidationFailed, VALIDATOR_OPTIONS } from '@ledger/domain';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';

/**
 * Unknown fields are refused, types are checked strictly, and errors are field-level.
 * Validation runs synchronously: the ledger's schemas have no async rules, and the async
 * path builds a promise per constraint, a measurable part of every write's cost.
 */
export class LedgerValidationPipe extends ValidationPipe {
  /**
   * A body its schema's plan finds valid is handed on as parsed: class-transformer's
   * instance and class-validator's error tree are only built when there is something
   * to report (the plan never passes what the library would refuse; see validation-plan.ts).
   * The body classes are data only (no methods), so the plain object reads the same.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (metatype && metadata.type === 'body' && this.toValidate(metadata) && passesPlan(metatype, value)) return value;
    return super.transform(value, metadata);
  }

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
