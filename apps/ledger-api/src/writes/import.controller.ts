import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LedgerError } from '@ledger/domain';
import { Importer, type ImportReport } from '@ledger/recorder';
import type { FastifyRequest } from 'fastify';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createInterface } from 'node:readline';
import { OPEN_IDENTITY } from '../http/auth/api-keys';
import { Roles } from '../http/auth/roles.decorator';

export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

/** Default cap on an import body; LEDGER_IMPORT_MAX_BYTES overrides. */
export const DEFAULT_IMPORT_MAX_BYTES = 200 * 1024 * 1024;

@ApiTags('record')
@Roles('recorder')
@Controller('v1/import')
export class ImportController {
  constructor(private readonly importer: Importer) {}

  @Post()
  @HttpCode(200)
  @ApiConsumes(...NDJSON_TYPES)
  @ApiBody({ description: 'One import line per row: {type, streamId, eventId?, occurredAt, data, metadata:{source, confidence?}}', schema: { type: 'string' } })
  @ApiOperation({ summary: 'Import NDJSON events: every line is checked first; nothing is stored if any line is bad (unless ?partial=true)' })
  async import(@Req() request: FastifyRequest): Promise<ImportReport> {
    const body = request.body as Readable | undefined;
    if (!body || typeof (body as Readable).pipe !== 'function') {
      throw new LedgerError('REQUEST.UNSUPPORTED_MEDIA_TYPE', `Send the lines as ${NDJSON_TYPES[0]}.`);
    }
    const partial = (request.query as Record<string, string>)?.partial === 'true';
    const max = importLimit();
    // A declared length over the cap is refused before a byte is read.
    if (Number(request.headers['content-length']) > max) throw tooLarge(max);
    const cap = new ByteCap(max);
    // pipe() does not pass a source error on: a client that aborts must still end the import.
    body.once('error', (error) => cap.destroy(error));
    const lines = createInterface({ input: body.pipe(cap), crlfDelay: Infinity });
    return this.importer.importLines(lines, { recordedBy: (request.identity ?? OPEN_IDENTITY).name, partial });
  }
}

export function importLimit(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.LEDGER_IMPORT_MAX_BYTES);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_IMPORT_MAX_BYTES;
}

function tooLarge(max: number): LedgerError {
  return new LedgerError('REQUEST.BODY_TOO_LARGE', `The import body exceeds ${max} bytes.`, { maxBytes: max });
}

/**
 * Passes the body through and fails once it exceeds the cap. The error ends the line
 * iterator, so the importer throws before storing anything and the answer is a 413. The
 * request itself is left alone: destroying it would cut the socket before the answer.
 */
class ByteCap extends Transform {
  private seen = 0;

  constructor(private readonly max: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) done(tooLarge(this.max));
    else done(null, chunk);
  }
}
