'use strict';
// `node -r ./test/bench/swc-register.js some.bench.ts`: runs a TypeScript script the way
// jest does (@swc/core, CommonJS, legacy decorators) and resolves @ledger/* to libs/*/src.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

require('reflect-metadata'); // as jest's setupFiles: the domain's schema classes need it

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

require('tsconfig-paths').register({ baseUrl: join(__dirname, '..', '..'), paths: { '@ledger/*': ['libs/*/src'] } });
