'use strict';
// Rebuilds every projection from a log file into a fresh views file, with the same compiled
// code the server ran (dist/), so that the comparison is not thrown off by sources edited
// since the build. Usage: node rebuild-views.js <ledger.sqlite> <views.sqlite>
const { join } = require('node:path');
const root = join(__dirname, '..', '..', '..');
require('reflect-metadata');
require(join(root, 'bin', 'register-paths.js'));
const { SqliteEventStore } = require(join(root, 'dist', 'libs', 'event-store', 'src'));
const { openSqliteReadModel } = require(join(root, 'dist', 'libs', 'platform', 'src'));
const { ProjectionRunner } = require(join(root, 'dist', 'libs', 'projections', 'src'));

(async () => {
  const [logFile, viewsFile] = process.argv.slice(2);
  const store = new SqliteEventStore({ file: logFile });
  const views = openSqliteReadModel(viewsFile);
  const runner = new ProjectionRunner(store, views, { rebuildPollMs: 0 });
  await runner.start();
  await runner.waitFor(await store.headPosition());
  await runner.stop();
  await views.close();
  await store.close();
})().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
