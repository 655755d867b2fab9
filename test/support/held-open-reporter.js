/**
 * A Jest reporter that keeps a finished run from hanging CI. Jest waits for the process to
 * exit by itself; one timer left running by a test (or by the code under test) kept a CI
 * run alive for its whole time budget after every test had passed, and Jest's own warning
 * says only "did not exit". This reporter remembers where each timer was created, and if
 * the process is still held open GRACE_MS after the run, it names what holds it (the
 * creation stack of every live timer, the other live handles) and exits with the run's
 * own result. The leak is reported, never hidden; the run's verdict is not changed.
 *
 * With --runInBand (as `npm test` runs) the tests run in this process, so the hook sees
 * their timers too.
 */
const { createHook } = require('node:async_hooks');

const GRACE_MS = 15_000;
const timers = new Map();

createHook({
  init(id, type, _trigger, resource) {
    if (type !== 'Timeout') return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 30;
    timers.set(id, { resource, stack: new Error('created').stack });
    Error.stackTraceLimit = limit;
  },
  destroy(id) {
    timers.delete(id);
  },
}).enable();

/** The frames worth reading: the project's own, without Node's internals and this file. */
function frames(stack) {
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !line.includes('node:internal') && !line.includes(__filename))
    .slice(0, 12)
    .join('\n');
}

function describeHandle(handle) {
  const name = handle?.constructor?.name ?? typeof handle;
  try {
    if (name === 'Socket') return `Socket ${handle.localAddress ?? ''}:${handle.localPort ?? ''} -> ${handle.remoteAddress ?? ''}:${handle.remotePort ?? ''}`;
    if (name === 'Server') return `Server ${JSON.stringify(handle.address())}`;
    if (name === 'ChildProcess') return `ChildProcess ${handle.pid} ${handle.spawnargs.join(' ')}`;
  } catch {
    // a half-closed handle may throw on inspection; its name is still worth printing
  }
  return name;
}

class HeldOpenReporter {
  onRunComplete(_contexts, results) {
    setTimeout(() => {
      // Jest sets `success` on this same object just after the reporters' onRunComplete.
      const code = results.success ? 0 : 1;
      const live = [...timers.values()].filter(({ resource }) => typeof resource.hasRef !== 'function' || resource.hasRef());
      const lines = [
        `held-open-reporter: the process was still held open ${GRACE_MS / 1000} s after the run; exiting with the run's own result (${code}).`,
        `active resources: ${process.getActiveResourcesInfo().join(', ') || 'none'}`,
        ...process
          ._getActiveHandles()
          .filter((h) => h !== process.stdout && h !== process.stderr && h !== process.stdin)
          .map((h) => `handle: ${describeHandle(h)}`),
        ...live.map(({ resource, stack }) => `timer (every ${resource._idleTimeout} ms${resource._repeat ? ', repeating' : ''}), created at:\n${frames(stack)}`),
      ];
      process.stderr.write(`${lines.join('\n')}\n`);
      process.exit(code);
    }, GRACE_MS).unref();
  }
}

module.exports = HeldOpenReporter;
