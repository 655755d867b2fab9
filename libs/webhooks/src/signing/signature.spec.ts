import { Webhook } from 'standardwebhooks';
import { signMessage } from './signature';
import { generateSecret, secretKey } from './webhook-secret';

describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({ type: 'LetterSent', timestamp: '2018-01-24T12:00:00.000Z', data: { position: 7 } });
  const now = () => Math.floor(Date.now() / 1000);

  it('makes secrets of whsec_ and base64 of 32 random bytes', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKey(a)).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });

  it('is accepted by the standardwebhooks library', () => {
    const secret = generateSecret();
    const headers = signMessage('msg_1', now(), body, [secret]);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('fails verification for a tampered body, a changed id or another secret', () => {
    const secret = generateSecret();
    const headers = signMessage('msg_1', now(), body, [secret]);
    expect(() => new Webhook(secret).verify(body.replace('7', '8'), { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
    expect(() => new Webhook(generateSecret()).verify(body, { ...headers })).toThrow();
  });

  it('fails verification for a stale (or far future) timestamp', () => {
    const secret = generateSecret();
    const stale = signMessage('msg_1', now() - 10 * 60, body, [secret]);
    expect(() => new Webhook(secret).verify(body, { ...stale })).toThrow(/too old/i);
    const future = signMessage('msg_1', now() + 10 * 60, body, [secret]);
    expect(() => new Webhook(secret).verify(body, { ...future })).toThrow(/too new/i);
  });

  it('signs with every secret given, so either verifies during a rotation', () => {
    const [fresh, old] = [generateSecret(), generateSecret()];
    const headers = signMessage('msg_1', now(), body, [fresh, old]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(fresh).verify(body, { ...headers })).toBeTruthy();
    expect(new Webhook(old).verify(body, { ...headers })).toBeTruthy();
  });
});
