import { loadWebhookSettings } from '../config/webhook-settings';
import { AddressPolicy, parseAllowList } from './address-policy';
import { UrlGuard, type Resolver } from './url-guard';
import { UrlRefusedError } from './url-refused.error';

/** Names for DNS cases, answered without a network. */
const fakeDns: Resolver = async (host) => {
  const table: Record<string, string[]> = {
    'public.test': ['93.184.215.14'],
    'metadata.test': ['169.254.169.254'],
    'loopback.test': ['127.0.0.1'],
    'v6-loopback.test': ['::1'],
    'mixed.test': ['93.184.215.14', '10.0.0.7'],
    'mapped.test': ['::ffff:192.168.0.1'],
  };
  const found = table[host.replace(/\.$/, '')];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const defaultGuard = () => new UrlGuard(new AddressPolicy(loadWebhookSettings({}).allow), fakeDns);

async function refusal(guard: UrlGuard, url: string): Promise<string> {
  try {
    await guard.check(url);
  } catch (error) {
    expect(error).toBeInstanceOf(UrlRefusedError);
    expect((error as UrlRefusedError).code).toBe('WEBHOOK.URL_REFUSED');
    return (error as UrlRefusedError).reason;
  }
  throw new Error(`${url} was accepted`);
}

describe('URL guard', () => {
  describe('with the default policy (no allow-list)', () => {
    const loopbackSpellings = [
      'http://127.0.0.1/hook',
      'http://127.1/hook',
      'http://0177.0.0.1/hook',
      'http://2130706433/hook',
      'http://0x7f000001/hook',
      'http://0x7f.1/hook',
      'http://017700000001/hook',
      'http://127.000.000.001/hook',
      'http://127.255.255.254:8080/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[0:0:0:0:0:ffff:7f00:1]/hook',
      'http://[::1]/hook',
      'http://[0:0:0:0:0:0:0:1]:8080/hook',
      'https://127.0.0.1:8443/hook',
    ];
    it.each(loopbackSpellings)('refuses loopback spelled %s', async (url) => {
      expect(await refusal(defaultGuard(), url)).toMatch(/loopback/);
    });

    const special: [string, RegExp][] = [
      ['http://10.0.0.1/', /private/],
      ['http://172.16.5.4/', /private/],
      ['http://192.168.1.1/', /private/],
      ['http://169.254.169.254/latest/meta-data/', /link-local/],
      ['http://[::ffff:169.254.169.254]/', /link-local/],
      ['http://0xa9fea9fe/', /link-local/],
      ['http://100.64.0.1/', /carrier-grade NAT/],
      ['http://100.100.100.200/', /carrier-grade NAT/],
      ['http://224.0.0.1/', /multicast/],
      ['http://[ff02::1]/', /multicast/],
      ['http://0.0.0.0/', /unspecified/],
      ['http://0/', /unspecified/],
      ['http://[::]/', /unspecified/],
      ['http://255.255.255.255/', /broadcast/],
      ['http://[fe80::1]/', /link-local/],
      ['http://[fc00::1]/', /unique-local/],
      ['http://[fd00:ec2::254]/', /unique-local/],
      ['http://[64:ff9b::7f00:1]/', /special-purpose/],
      ['http://[2002:7f00:1::]/', /special-purpose/],
      ['http://192.0.2.1/', /reserved/],
    ];
    it.each(special)('refuses %s', async (url, reason) => {
      expect(await refusal(defaultGuard(), url)).toMatch(reason);
    });

    it.each([
      ['http://loopback.test/', /loopback\.test resolves to 127\.0\.0\.1, which is a loopback address/],
      ['http://v6-loopback.test/', /resolves to ::1/],
      ['http://metadata.test/', /169\.254\.169\.254/],
      ['http://mixed.test/', /10\.0\.0\.7/],
      ['http://mapped.test/', /192\.168\.0\.1/],
      ['http://loopback.test./', /loopback/],
      ['http://nowhere.test/', /does not resolve/],
    ])('refuses a name that resolves to a refused address: %s', async (url, reason) => {
      expect(await refusal(defaultGuard(), url)).toMatch(reason);
    });

    it('refuses localhost through the real resolver', async () => {
      const guard = new UrlGuard(new AddressPolicy([]));
      expect(await refusal(guard, 'http://localhost:3000/hook')).toMatch(/loopback/);
    });

    it.each([
      ['ftp://93.184.215.14/x', /ftp scheme is refused/],
      ['file:///etc/passwd', /file scheme is refused/],
      ['gopher://93.184.215.14/', /gopher scheme is refused/],
      ['ws://93.184.215.14/', /ws scheme is refused/],
      ['javascript:alert(1)', /javascript scheme is refused/],
      ['data:text/plain,hi', /data scheme is refused/],
      ['not a url', /not a valid absolute URL/],
      ['/relative/path', /not a valid absolute URL/],
      ['', /absolute http\(s\) URL/],
      ['http://user:pass@93.184.215.14/', /credentials/],
      [`http://93.184.215.14/${'a'.repeat(2000)}`, /at most 2000/],
    ])('refuses %s', async (url, reason) => {
      expect(await refusal(defaultGuard(), url)).toMatch(reason);
    });

    it.each(['http://93.184.215.14/hook', 'https://public.test/hook?x=1', 'https://[2606:4700:4700::1111]/hook', 'http://8.8.8.8:8080/'])(
      'accepts a public target %s',
      async (url) => {
        const target = await defaultGuard().check(url);
        expect(target.url.href).toBe(new URL(url).href);
      },
    );
  });

  describe('with an operator allow-list', () => {
    const guard = () => new UrlGuard(new AddressPolicy(parseAllowList('127.0.0.1:8080,[::1]:9000,10.1.0.0/16')), fakeDns);

    it.each(['http://127.0.0.1:8080/hook', 'http://127.1:8080/hook', 'http://2130706433:8080/', 'http://[::ffff:127.0.0.1]:8080/', 'http://[::1]:9000/', 'http://10.1.2.3/', 'http://10.1.2.3:1234/'])(
      'admits %s',
      async (url) => {
        await expect(guard().check(url)).resolves.toBeTruthy();
      },
    );

    it.each(['http://127.0.0.1:8081/hook', 'http://127.0.0.1/hook', 'http://[::1]:8080/', 'http://10.2.0.1/', 'http://169.254.169.254:8080/'])(
      'still refuses %s',
      async (url) => {
        await refusal(guard(), url);
      },
    );

    it.each(['localhost:8080', '127.0.0.1:99999', 'nonsense', '10.0.0.0/99', '127.0.0.1:'])('rejects the allow-list entry %s', (entry) => {
      expect(() => loadWebhookSettings({ LEDGER_WEBHOOK_ALLOW: entry })).toThrow(/LEDGER_WEBHOOK_ALLOW/);
    });
  });
});
