import { Injectable } from '@nestjs/common';
import { ENVELOPE_KEYS, LedgerError, type EventType } from '@ledger/domain';
import type { ExpectedRevision } from '@ledger/event-store';
import { Recorder, type RecordInput } from '@ledger/recorder';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Identity } from '../http/auth/api-keys';
import type { WriteResponse } from './write-dtos';

/** Turns a validated request body into a RecordInput and answers with the stored event. */
@Injectable()
export class WriteService {
  constructor(private readonly recorder: Recorder) {}

  async write(
    type: EventType,
    streamId: string,
    body: object,
    context: { identity: Identity; request: FastifyRequest; reply: FastifyReply },
    extraData: Record<string, unknown> = {},
  ): Promise<WriteResponse> {
    const { envelope, data } = splitBody(body);
    const expectedRevision = envelope.expectedRevision ?? ifMatch(context.request.headers['if-match']);
    const input: RecordInput = {
      type,
      streamId,
      data: { ...extraData, ...data },
      eventId: envelope.eventId,
      occurredAt: envelope.occurredAt,
      occurredAtPrecision: envelope.occurredAtPrecision,
      source: envelope.source,
      confidence: envelope.confidence,
    };
    const result = await this.recorder.record(input, {
      recordedBy: context.identity.name,
      expectedRevision,
      correlationId: String(context.request.id),
      // The route's body class is the data schema plus envelope fields, checked by the
      // validation pipe; fields taken from the path are not, so the recorder checks those.
      dataValidated: Object.keys(extraData).length === 0,
    });
    const event = result.events[result.events.length - 1];
    void context.reply.status(result.idempotent ? 200 : 201).header('etag', `"${event.revision}"`);
    if (result.idempotent) void context.reply.header('idempotent-replay', 'true');
    return {
      eventId: event.eventId,
      type: event.type,
      streamId: event.streamId,
      revision: event.revision,
      position: event.position,
      hash: event.hash,
    };
  }
}

type Envelope = Pick<RecordInput, 'eventId' | 'occurredAt' | 'occurredAtPrecision' | 'source' | 'confidence'> & {
  expectedRevision?: ExpectedRevision;
};

/** The body's envelope keys go to the envelope; everything else is the event's data. */
export function splitBody(body: object): { envelope: Envelope; data: Record<string, unknown> } {
  const envelope: Record<string, unknown> = {};
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if ((ENVELOPE_KEYS as readonly string[]).includes(key)) envelope[key] = key === 'source' ? { ...(value as object) } : value;
    else data[key] = value;
  }
  return { envelope: envelope as Envelope, data };
}

/** `If-Match: "3"` (or W/"3", or 3) is the expected revision. */
export function ifMatch(header: string | string[] | undefined): ExpectedRevision | undefined {
  if (header === undefined) return undefined;
  const value = String(Array.isArray(header) ? header[0] : header).trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (!/^-?\d+$/.test(value) || Number(value) < -1) {
    throw new LedgerError('REQUEST.INVALID', 'If-Match must be a stream revision.', {}, [
      { field: 'If-Match', reasons: ['If-Match must be an integer revision like "3"'] },
    ]);
  }
  return Number(value);
}
