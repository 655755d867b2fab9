/** Unit specs sit beside the code; cross-app tests live in test/. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const libs = ['domain', 'event-store', 'projections', 'audit', 'webhooks', 'datasets', 'platform', 'recorder'];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  // test/bench holds benchmarks, not tests, apart from the specs of its report; its
  // references are installed under it with their own packages' files.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/bench/references/'],
  // content-disposition 3 (via @fastify/static) ships ESM only; Node 20 can require() it, Jest cannot.
  transform: { '^.+\\.ts$': swc, 'node_modules/content-disposition/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: Object.fromEntries(libs.map((l) => [`^@ledger/${l}$`, `<rootDir>/libs/${l}/src`])),
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
  // Names what keeps the process alive after the run instead of letting CI hang on it.
  reporters: ['default', '<rootDir>/test/support/held-open-reporter.js'],
};
