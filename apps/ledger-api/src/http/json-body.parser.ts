import { checkJsonShape, LedgerError } from '@ledger/domain';
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';

/**
 * JSON bodies: `__proto__`, `constructor`, `prototype` and the other names every object
 * inherits are refused outright as keys (not stripped), with the key's path, as is nesting
 * deeper than MAX_JSON_DEPTH; malformed JSON is told apart from them, each with its own
 * stable code.
 */
/** secure-json-parse's refusals: "Object contains forbidden prototype property" (and constructor). */
const FORBIDDEN_KEY_ERROR = /^Object contains forbidden (prototype|constructor) property$/;

export function registerJsonParser(fastify: FastifyInstance, bodyLimit: number): void {
  // Fastify also reads text/plain bodies as strings, which a JSON route then refused field by
  // field ("name is required"); without that parser such a body is a clear 415.
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser(['application/json', 'application/problem+json'], { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(new LedgerError('REQUEST.MALFORMED_JSON', 'The body is empty.'), undefined);
    try {
      const value: unknown = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
      // sjson lets `{"constructor": 1}` and `prototype` keys through, and nothing bounds the depth.
      const badShape = checkJsonShape(value);
      if (badShape) done(badShape, undefined);
      else done(null, value);
    } catch (error) {
      // Told by sjson's own wording, not by a word anywhere in the message: a JSON syntax
      // error quotes the body (`"prototype" is not valid JSON`), and that body is malformed.
      const forbidden = FORBIDDEN_KEY_ERROR.test((error as Error).message);
      // sjson does not say where the key is: the shape check on a plain parse does (JSON.parse
      // makes `__proto__` an own property, it sets no prototype), so the answer names the key
      // and its path exactly as it does for `toString` and the other inherited names.
      const located = forbidden ? checkJsonShape(JSON.parse(text)) : null;
      done(
        located ??
          (forbidden
            ? new LedgerError('REQUEST.FORBIDDEN_KEY', 'The body contains a __proto__ or constructor key.', {}, [
                { field: '(body)', reasons: ['__proto__ and constructor keys are not accepted'] },
              ])
            : new LedgerError('REQUEST.MALFORMED_JSON', `The body is not valid JSON: ${(error as Error).message}`)),
        undefined,
      );
    }
  });
}
