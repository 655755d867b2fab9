import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The compose files parse and describe the intended topology. `docker-compose config`
 * validates and interpolates a file without a Docker engine. Debian's package provides it:
 * `apt-get update && apt-get install -y docker-compose` (.ci/run does this).
 */
const root = join(__dirname, '..', '..');
const KEYS = 'ops:recorder+analyst+auditor+admin:compose-test-token-0123456789';

function compose(file: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync('docker-compose', ['-f', join(root, 'docker', file), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('docker-compose is not installed: run `apt-get update && apt-get install -y docker-compose` (no Docker engine needed)');
  }
  return result;
}

function config(file: string): string {
  const result = compose(file, ['config'], { LEDGER_API_KEYS: KEYS });
  if (result.status !== 0) throw new Error(`docker-compose config ${file} failed:\n${result.stderr}`);
  return result.stdout;
}

/** The block of one service in `config` output (services are printed in name order, two-space indented). */
function serviceBlock(output: string, name: string): string {
  const start = output.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`service ${name} not in the config`);
  const rest = output.slice(start + name.length + 5);
  const end = rest.search(/\n {2}\S[^\n]*:\n|\n\S/);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('docker/docker-compose.yml (scale out)', () => {
  it('parses, with a 3-node EventStoreDB cluster, PostgreSQL, two api replicas and two workers', () => {
    const output = config('docker-compose.yml');
    const services = compose('docker-compose.yml', ['config', '--services'], { LEDGER_API_KEYS: KEYS }).stdout.trim().split('\n').sort();
    expect(services).toEqual(['esdb1', 'esdb2', 'esdb3', 'ledger-api-1', 'ledger-api-2', 'ledger-worker-1', 'ledger-worker-2', 'postgres']);
    for (const node of ['esdb1', 'esdb2', 'esdb3']) {
      const block = serviceBlock(output, node);
      expect(block).toMatch(/image: eventstore\/eventstore:/);
      expect(block).toMatch(/EVENTSTORE_CLUSTER_SIZE: '3'/);
    }
    for (const api of ['ledger-api-1', 'ledger-api-2']) {
      const block = serviceBlock(output, api);
      expect(block).toMatch(/- serve/);
      expect(block).toMatch(/LEDGER_STORE: esdb/);
      expect(block).toMatch(/EVENTSTORE_CONNECTION_STRING: esdb:\/\/esdb1:2113,esdb2:2113,esdb3:2113\?tls=false/);
      expect(block).toMatch(/LEDGER_READ_MODEL: postgres/);
      expect(block).toMatch(/DATABASE_URL: postgres:\/\/\S+@postgres:5432\//);
      expect(block).toMatch(/dockerfile: docker\/Dockerfile/);
    }
    for (const worker of ['ledger-worker-1', 'ledger-worker-2']) {
      const block = serviceBlock(output, worker);
      expect(block).toMatch(/- worker/);
      expect(block).toMatch(/LEDGER_STORE: esdb/);
      expect(block).toMatch(/LEDGER_READ_MODEL: postgres/);
    }
  });

  it('refuses to start the api replicas without API keys', () => {
    const result = compose('docker-compose.yml', ['config']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/LEDGER_API_KEYS/);
  });
});

describe('docker/docker-compose.embedded.yml', () => {
  it('parses: one container on SQLite with its data on a volume', () => {
    const output = config('docker-compose.embedded.yml');
    const services = compose('docker-compose.embedded.yml', ['config', '--services'], { LEDGER_API_KEYS: KEYS }).stdout.trim().split('\n');
    expect(services).toEqual(['ledger']);
    const block = serviceBlock(output, 'ledger');
    expect(block).toMatch(/LEDGER_STORE: sqlite/);
    expect(block).toMatch(/LEDGER_DATA_DIR: \/data/);
    expect(block).toMatch(/- ledger-data:\/data/);
  });
});
