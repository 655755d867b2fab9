import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The reference for read throughput: NestJS on Fastify with one GET route returning fixed
 * JSON, nothing else (no guard, no pipe, no filter). `node bare-nest-server.js <port>`.
 */
@Controller()
class BareController {
  @Get('bare/:id')
  get() {
    return { id: 'chicago-il', name: 'City of Chicago', status: 'awaiting-response' };
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
