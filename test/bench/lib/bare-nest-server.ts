import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The reference for read throughput: NestJS on Fastify with GET routes returning fixed
 * JSON, nothing else (no guard, no pipe, no filter). `node bare-nest-server.js <port> [bytes]`:
 * `/bare/:id` answers a small object; `/bare-sized/:id` an object of about `bytes` bytes, the
 * size of the ledger's own answer, so that the comparison is not one of socket writes.
 */
const SIZED_BYTES = Number(process.argv[3] ?? 4096);
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
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
  process.stdout.write('listening\n');
}

void main();
