import { checkJsonShape, LedgerError } from '@ledger/domain';
import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies: `__proto__`, `constructor`, `prototype` and the other names every object
 * inherits are refused outright as keys (not stripped), with the key's path, as is nesting
 * deeper than MAX_JSON_DEPTH; malformed JSON is told apart from them, each with its own
 * stable code.
 */
export function registerJsonParser(fastify: FastifyInstance, bodyLimit: number): void {
  // Fastify also reads text/plain bodies as strings, which a JSON route then refused field by
  // field ("name is required"); without that parser such a body is a clear 415.
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser(['application/json', 'application/problem+json'], { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(new LedgerError('REQUEST.MALFORMED_JSON', 'The body is empty.'), undefined);
    // A plain parse tells malformed text apart exactly; it makes `__proto__` an own key and
    // sets no prototype, and the shape check then refuses it, `constructor`, `prototype` and
    // every other inherited name with its path, as well as nesting beyond MAX_JSON_DEPTH.
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return done(new LedgerError('REQUEST.MALFORMED_JSON', `The body is not valid JSON: ${(error as Error).message}`), undefined);
    }
    const badShape = checkJsonShape(value);
    if (badShape) done(badShape, undefined);
    else done(null, value);
  });
}
