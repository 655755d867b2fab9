import { Injectable, type PipeTransform, type ArgumentMetadata } from '@nestjs/common';
import { isSlug, ValidationFailed } from '@ledger/domain';

/** Path ids are slugs; anything else is a 400 naming the parameter. */
@Injectable()
export class SlugPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isSlug(value)) {
      const field = metadata.data ?? 'id';
      throw new ValidationFailed([{ field, reasons: [`${field} must be a lower-case slug like "chicago-il"`] }]);
    }
    return value;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!UUID.test(value)) {
      const field = metadata.data ?? 'eventId';
      throw new ValidationFailed([{ field, reasons: [`${field} must be a UUID`] }]);
    }
    return value.toLowerCase();
  }
}
