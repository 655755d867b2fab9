import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ledgerValidationPipe } from '../../../apps/ledger-api/src/http/validation.pipe';
import { SendLetterBody } from '../../../apps/ledger-api/src/writes/write-dtos';
import { bareDbController } from './bare-nest-db';

/**
 * The reference for read throughput: NestJS on Fastify with GET routes returning fixed
 * JSON, nothing else (no guard, no pipe, no filter). `node bare-nest-server.js <port> [bytes]`:
 * `/bare/:id` answers a small object; `/bare-sized/:id` an object of about `bytes` bytes, the
 * size of the ledger's own answer, so that the comparison is not one of socket writes.
 * `POST /bare/letters/:id` is the floor under a durable write: the ledger's own body class
 * checked by the ledger's own validation pipe, then a fixed answer, nothing stored.
 *
 * `node bare-nest-server.js <port> [bytes] [log file] [views file]` adds the routes of
 * bare-nest-db.ts, which do the least storage work the ledger's answers need.
 */
const SIZED_BYTES = Number(process.argv[3] ?? 4096);
const [LOG_FILE, VIEWS_FILE] = [process.argv[4] || undefined, process.argv[5] || undefined];
const SMALL = { id: 'chicago-il', name: 'City of Chicago', status: 'awaiting-response' };
const SIZED = { ...SMALL, padding: 'x'.repeat(Math.max(0, SIZED_BYTES - JSON.stringify(SMALL).length - 14)) };

@Controller()
class BareController {
  @Get('bare/:id')
  get() {
    return SMALL;
  }

  @Get('bare-sized/:id')
  sized() {
    return SIZED;
  }

  @Post('bare/letters/:id')
  @HttpCode(201)
  letter(@Body() body: SendLetterBody) {
    return { eventId: '00000000-0000-4000-8000-000000000000', type: 'LetterSent', letterId: body.letterId, revision: 1, position: 1 };
  }
}

@Module({ controllers: [BareController, bareDbController({ logFile: LOG_FILE, viewsFile: VIEWS_FILE })] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: false });
  app.useGlobalPipes(ledgerValidationPipe());
  await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
  process.stdout.write('listening\n');
}

void main();
