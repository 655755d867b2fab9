import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem, type Problem } from './problem';

/** Every error leaves as application/problem+json; 500s carry only the request id. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body: Problem = { ...toProblem(error), instance: request.url?.split('?')[0], requestId: String(request.id) };
    if (body.status >= 500) {
      this.logger.error({ msg: 'request failed', requestId: request.id, err: (error as Error)?.stack ?? String(error) });
    }
    if ((body.status === 503 || body.status === 429) && body.retryAfter !== undefined) {
      void reply.header('retry-after', String(body.retryAfter));
    }
    void reply.status(body.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
  }
}
