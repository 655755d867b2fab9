import { createHmac } from 'node:crypto';
import { secretKey } from './webhook-secret';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Standard Webhooks: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret,
 * space-separated — during a secret rotation's overlap both the new and the old secret
 * sign, so a receiver holding either accepts the message.
 */
export function signMessage(msgId: string, timestampSeconds: number, body: string, secrets: readonly string[]): SignedHeaders {
  if (secrets.length === 0) throw new Error('no secret to sign with');
  const content = `${msgId}.${timestampSeconds}.${body}`;
  const signature = secrets.map((s) => `v1,${createHmac('sha256', secretKey(s)).update(content).digest('base64')}`).join(' ');
  return { 'webhook-id': msgId, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signature };
}
