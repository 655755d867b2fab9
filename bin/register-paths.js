'use strict';
// Maps the @ledger/* aliases onto the compiled libs in dist/ (for node -r).
const { join } = require('node:path');
require('tsconfig-paths').register({ baseUrl: join(__dirname, '..', 'dist'), paths: { '@ledger/*': ['libs/*/src'] } });
