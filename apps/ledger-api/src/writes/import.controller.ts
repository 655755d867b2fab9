import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LedgerError } from '@ledger/domain';
import { Importer, type ImportReport } from '@ledger/recorder';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
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
    const lines = createInterface({ input: capped(body, importLimit()), crlfDelay: Infinity });
    return this.importer.importLines(lines, { recordedBy: (request.identity ?? OPEN_IDENTITY).name, partial });
  }
}

export function importLimit(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.LEDGER_IMPORT_MAX_BYTES);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_IMPORT_MAX_BYTES;
}

/** Passes the body through, failing with 413 once it exceeds the cap. */
function capped(stream: Readable, max: number): Readable {
  let seen = 0;
  stream.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > max) {
      stream.destroy(new LedgerError('REQUEST.BODY_TOO_LARGE', `The import body exceeds ${max} bytes.`, { maxBytes: max }));
    }
  });
  return stream;
}
