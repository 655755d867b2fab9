import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { planFor, ValidationFailed } from '@ledger/domain';
import fc from 'fast-check';
import { VALID_BODIES } from '../../../../test/security/support/write-bodies';
import { mutate, mutations } from '../../../../test/support/json-mutations';
import * as bodies from '../writes/write-dtos';
import { ledgerValidationPipe } from './validation.pipe';

const BODY_CLASSES = (Object.values(bodies) as unknown[]).filter((value): value is new () => object => typeof value === 'function');
const SAMPLES = Object.values(VALID_BODIES);
const pipe = ledgerValidationPipe();

/** The pipe's answer: the value handed on (as JSON) or the field errors it refused with. */
async function answer(run: (value: unknown, metadata: ArgumentMetadata) => Promise<unknown>, value: unknown, metatype: new () => object) {
  try {
    return { passed: JSON.stringify(await run(JSON.parse(JSON.stringify(value)), { type: 'body', metatype, data: '' })) };
  } catch (error) {
    if (error instanceof ValidationFailed) return { refused: error.errors };
    return { threw: String(error) };
  }
}

describe('the write pipe’s quick path', () => {
  it('given any write body changed at random, against any body class, answers as the library does (the same errors, or the same body)', async () => {
    // The library's own transform, with the ledger's options and synchronous validation.
    const library = (value: unknown, metadata: ArgumentMetadata) => ValidationPipe.prototype.transform.call(pipe, value, metadata);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BODY_CLASSES), fc.constantFrom(...SAMPLES), mutations, fc.boolean(), async (metatype, sample, changes, changed) => {
        const body = changed ? mutate(sample, changes) : sample;
        const expected = await answer(library, body, metatype);
        expect(await answer((v, m) => pipe.transform(v, m), body, metatype)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the quick path for every route’s valid body', () => {
    for (const sample of SAMPLES) expect(BODY_CLASSES.some((metatype) => planFor(metatype)?.(sample as Record<string, unknown>))).toBe(true);
  });
});
