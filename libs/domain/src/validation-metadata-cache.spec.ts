import fc from 'fast-check';
import { IsInt, IsString, Min } from 'class-validator';
import { EVENT_CATALOGUE } from './events/catalogue';
import { ImportLine } from './events/import-line.schema';
import { validateAgainst } from './validation';
import { cacheValidationMetadata } from './validation-metadata-cache';

/** Any value where the schemas expect objects, strings, lists, dates and URLs. */
const anything = fc.jsonValue({ maxDepth: 3 });
const plausible = fc.dictionary(
  fc.constantFrom('letterId', 'from', 'subject', 'demands', 'threats', 'name', 'kind', 'state', 'url', 'publication', 'occurredAt', 'type', 'streamId', 'data', 'metadata', 'source', 'extra'),
  fc.oneof(anything, fc.constantFrom('chicago-il', 'organization:us-doj', '2018-01-24', 'https://example.org/a', ['subpoena'], { publication: 'P', url: 'not a url' })),
);

describe('class-validator rule look-ups kept between validations', () => {
  it('given any input against any schema, the field errors equal those of the uncached library', () => {
    const schemas: (new () => object)[] = [ImportLine, ...Object.values(EVENT_CATALOGUE).map((spec) => spec.schema as new () => object)];
    const { uninstall } = cacheValidationMetadata();
    uninstall();
    fc.assert(
      fc.property(fc.constantFrom(...schemas), plausible, (schema, value) => {
        const uncached = validateAgainst(schema, value);
        const { uninstall: again } = cacheValidationMetadata();
        try {
          expect(validateAgainst(schema, value)).toEqual(uncached);
          expect(validateAgainst(schema, value)).toEqual(uncached); // the second time from the cache
        } finally {
          again();
        }
      }),
      { numRuns: 300 },
    );
    cacheValidationMetadata();
  });

  it('given a class declared, or a rule added to a class, after look-ups were kept, the new rules apply (a new rule clears what was kept)', () => {
    cacheValidationMetadata();
    class Base {
      @IsString() name!: string;
    }
    expect(validateAgainst(Base, { name: 'x', count: 1 })).toEqual([{ field: 'count', reasons: ['count is not a known field'] }]);
    class Derived extends Base {
      @IsInt() @Min(1) count!: number;
    }
    expect(validateAgainst(Derived, { name: 'x', count: 0 })).toEqual([{ field: 'count', reasons: ['count must not be less than 1'] }]);
    expect(validateAgainst(Base, { name: 'x', count: 1 })).toEqual([{ field: 'count', reasons: ['count is not a known field'] }]);
    // A rule added to a class already looked up (as mapped types do when they copy rules).
    IsInt()(Base.prototype, 'count');
    expect(validateAgainst(Base, { name: 'x', count: 1 })).toEqual([]);
    expect(validateAgainst(Base, { name: 'x', count: 'one' })).toEqual([{ field: 'count', reasons: ['count must be an integer number'] }]);
  });
});
