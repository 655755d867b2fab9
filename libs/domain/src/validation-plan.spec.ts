import { Expose, Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, registerDecorator, ValidateNested } from 'class-validator';
import fc from 'fast-check';
import { readDatasetLines } from '@ledger/datasets';
import { EVENT_CATALOGUE, type EventType } from './events/catalogue';
import { ImportLine } from './events/import-line.schema';
import { libraryErrors, validateAgainst } from './validation';
import { planFor } from './validation-plan';
import { hasSkippedKey, mutate, mutations, outcome, type Json } from '../../../test/support/json-mutations';

type Schema = new () => object;

/** Every dataset line as an import line, and its data against its event type's schema. */
const SAMPLES: [Schema, Record<string, Json>][] = readDatasetLines().flatMap((line) => [
  [ImportLine, JSON.parse(JSON.stringify(line))],
  [EVENT_CATALOGUE[line.type as EventType].schema as Schema, JSON.parse(JSON.stringify(line.data))],
]);

describe('validation plans: a quick "valid" that class-validator would always agree with', () => {
  it('plans every schema the ledger validates, and each dataset line passes its plan', () => {
    for (const [schema, value] of SAMPLES) {
      const plan = planFor(schema);
      expect(plan).toBeDefined();
      expect(plan!(value)).toBe(true);
    }
  });

  it('given dataset lines changed at random, the plan says valid exactly when class-validator finds no error, and validateAgainst gives the library’s reasons', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), mutations, ([schema, sample], changes) => {
        const value = mutate(sample, changes);
        const library = outcome(() => libraryErrors(schema, value));
        const quick = planFor(schema)!(value);
        // Keys the library's copy drops are left to the library; otherwise the two agree.
        if (hasSkippedKey(value)) expect(quick).toBe(false);
        else expect(quick).toBe(library.result?.length === 0);
        expect(outcome(() => validateAgainst(schema, value))).toEqual(library);
      }),
      { numRuns: 3000 },
    );
  });

  it('given a key class-transformer drops, answers "ask the library", which decides', () => {
    const line = JSON.parse(JSON.stringify(SAMPLES[0][1])) as Record<string, Json>;
    const withConstructor = JSON.parse(JSON.stringify(line).replace('{', '{"constructor":1,')) as Record<string, Json>;
    expect(planFor(ImportLine)!(withConstructor)).toBe(false);
    expect(validateAgainst(ImportLine, withConstructor)).toEqual(libraryErrors(ImportLine, withConstructor));
  });

  it('given a class the plan cannot follow (an initializer, @Transform, @Expose), it makes no plan and the library answers', () => {
    class WithDefault {
      @IsString() name: string = 'default';
    }
    class Transformed {
      @Transform(({ value }) => String(value)) @IsString() name!: string;
    }
    class Renamed {
      @Expose({ name: 'label' }) @IsString() name!: string;
    }
    for (const schema of [WithDefault, Transformed, Renamed]) expect(planFor(schema)).toBeUndefined();
    expect(validateAgainst(WithDefault, {})).toEqual([]); // the initializer fills the missing name
    expect(validateAgainst(Transformed, { name: 1 })).toEqual([]);
  });

  it('given nested classes, follows @Type into them, item by item in arrays, and through a class nested in itself', () => {
    class Part {
      @IsInt() @Min(1) size!: number;
      @IsOptional() @ValidateNested({ each: true }) @Type(() => Part) parts?: Part[];
    }
    class Whole {
      @ValidateNested({ each: true }) @Type(() => Part) parts!: Part[];
      @IsOptional() @ValidateNested() untyped?: object;
    }
    const plan = planFor(Whole)!;
    expect(plan({ parts: [{ size: 1, parts: [{ size: 2 }] }] })).toBe(true);
    expect(plan({ parts: [{ size: 1, parts: [{ size: 0 }] }] })).toBe(false);
    expect(plan({ parts: [{ size: 1 }, 'x'] })).toBe(false);
    expect(plan({ parts: [], untyped: { any: 1 } })).toBe(false); // no @Type: "an unknown value"
    for (const value of [{ parts: [{ size: 1, parts: [{ size: 0 }] }] }, { parts: [], untyped: { any: 1 } }, { parts: [{ size: 1 }] }]) {
      expect(validateAgainst(Whole, value)).toEqual(libraryErrors(Whole, value));
    }
  });

  it('given a rule added after a plan was made, the new rule applies', () => {
    class Later {
      @IsString() name!: string;
    }
    expect(planFor(Later)!({ name: 'x', count: 1 })).toBe(false);
    IsInt()(Later.prototype, 'count');
    expect(planFor(Later)!({ name: 'x', count: 1 })).toBe(true);
    expect(planFor(Later)!({ name: 'x', count: 'one' })).toBe(false);
  });

  it('given an async rule, skips it as validateSync does', () => {
    class Remote {
      @IsString() name!: string;
    }
    registerDecorator({ name: 'remote', target: Remote, propertyName: 'name', async: true, validator: { validate: async () => false } });
    expect(planFor(Remote)!({ name: 'x' })).toBe(true);
    expect(libraryErrors(Remote, { name: 'x' })).toEqual([]);
  });
});
