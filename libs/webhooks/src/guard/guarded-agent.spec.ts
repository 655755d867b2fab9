import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { AddressPolicy, parseAllowList } from './address-policy';
import { AddressRefusedError, guardedAgent } from './guarded-agent';
import type { Resolver } from './url-guard';

/**
 * The connect-time half of the guard, on its own: whatever the URL says, the agent only
 * completes connections to addresses the policy admits.
 */
describe('guarded agent', () => {
  let server: Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    hits = 0;
  });

  const toLoopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];

  it('drops an IP literal on a refused address after connecting, before sending anything', async () => {
    const agent = guardedAgent({ policy: new AddressPolicy([]), resolver: toLoopback, connectTimeoutMs: 2000 });
    await expect(request(`http://127.0.0.1:${port}/`, { dispatcher: agent })).rejects.toBeInstanceOf(AddressRefusedError);
    expect(hits).toBe(0);
    await agent.close();
  });

  it('refuses a host name whose answer is a refused address', async () => {
    const agent = guardedAgent({ policy: new AddressPolicy([]), resolver: toLoopback, connectTimeoutMs: 2000 });
    await expect(request(`http://innocent.test:${port}/`, { dispatcher: agent })).rejects.toThrow(/innocent\.test resolves to 127\.0\.0\.1/);
    expect(hits).toBe(0);
    await agent.close();
  });

  it('checks the port actually connected to against the allow-list', async () => {
    const agent = guardedAgent({ policy: new AddressPolicy(parseAllowList(`127.0.0.1:${port === 1 ? 2 : port - 1}`)), resolver: toLoopback, connectTimeoutMs: 2000 });
    await expect(request(`http://innocent.test:${port}/`, { dispatcher: agent })).rejects.toBeInstanceOf(AddressRefusedError);
    expect(hits).toBe(0);
    await agent.close();
  });

  it('connects where the allow-list admits the address and port', async () => {
    const agent = guardedAgent({ policy: new AddressPolicy(parseAllowList(`127.0.0.1:${port}`)), resolver: toLoopback, connectTimeoutMs: 2000 });
    const res = await request(`http://innocent.test:${port}/`, { dispatcher: agent });
    expect(await res.body.text()).toBe('ok');
    expect(hits).toBe(1);
    await agent.close();
  });
});
