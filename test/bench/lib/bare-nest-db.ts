import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import Database from 'better-sqlite3';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { READ_MODEL_MMAP_BYTES } from '@ledger/platform';
import { SendLetterBody } from '../../../apps/ledger-api/src/writes/write-dtos';
import { RawSqlite } from './raw-sqlite';

/**
 * The bare routes plus the least storage work their answer needs, written straight on
 * better-sqlite3: what a hand-written NestJS service with no ledger in it would reach on
 * this machine. They bound what the ledger can reach (its goals are ratios to the bare
 * route and to raw SQLite, and it pays for both at once).
 *
 * - `POST /bare-durable/letters/:id`: the ledger's body and pipe, then the raw reference's
 *   insert, group-committed (requests that arrive while one transaction runs share the
 *   next; synchronous=FULL), answered once committed. Each row gets a stream of its own, so
 *   that revisions never collide and nothing needs reading first.
 * - `GET /bare-views/jurisdictions/:id`: the ledger's two point queries on its own views
 *   file (the stored view, the newest statements about it), spliced as the ledger does.
 */
export function bareDbController(options: { logFile?: string; viewsFile?: string }) {
  const log = options.logFile ? new RawSqlite(options.logFile) : undefined;
  const views = options.viewsFile ? new Database(options.viewsFile, { readonly: true }) : undefined;
  // Read the way the ledger reads its views file (memory-mapped), so that the bound stays a bound.
  views?.pragma(`mmap_size = ${READ_MODEL_MMAP_BYTES}`);
  const viewById = views?.prepare('select view from proj_jurisdictions where id = ? and registered = 1').pluck();
  const statementsAbout = views
    ?.prepare(
      `select s.view from proj_statement_about a join proj_statements s on s.event_id = a.event_id
       where a.ref = ? order by a.occurred_sort desc, a.event_id desc limit 100`,
    )
    .pluck();

  let queue: { data: string; stream: string; done: (position: number) => void }[] = [];
  const insert = log?.db.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, 0, ?, ?, ?)');
  const commit = log?.db.transaction((rows: typeof queue) => rows.map((r) => Number(insert!.run(randomUUID(), `${r.stream}-${randomUUID()}`, 'LetterSent', r.data, '{"recordedBy":"bench"}').lastInsertRowid)));
  const flush = () => {
    const rows = queue;
    queue = [];
    const positions = commit!(rows);
    rows.forEach((r, i) => r.done(positions[i]));
  };

  @Controller()
  class BareDbController {
    @Post('bare-durable/letters/:id')
    @HttpCode(201)
    letter(@Param('id') id: string, @Body() body: SendLetterBody) {
      if (!commit) throw new NotFoundException();
      return new Promise((resolve) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({
          data: JSON.stringify(body),
          stream: id,
          done: (position) => resolve({ eventId: '00000000-0000-4000-8000-000000000000', type: 'LetterSent', letterId: body.letterId, revision: 0, position }),
        });
      });
    }

    @Get('bare-views/jurisdictions/:id')
    view(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): string {
      const view = viewById?.get(id) as string | undefined;
      if (view === undefined) throw new NotFoundException();
      const statements = statementsAbout!.all(`jurisdiction:${id}`) as (string | null)[];
      const docs = statements.filter((s): s is string => s !== null);
      void reply.header('content-type', 'application/json; charset=utf-8');
      return `${view.slice(0, -1)},"statements":[${docs.join(',')}],"statementCount":${docs.length}}`;
    }
  }
  return BareDbController;
}
