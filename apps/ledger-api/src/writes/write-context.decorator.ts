import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OPEN_IDENTITY, type Identity } from '../http/auth/api-keys';

export interface WriteContext {
  identity: Identity;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** Who writes, and the request/reply to read headers from and set the status on. */
export const Write = createParamDecorator((_: unknown, context: ExecutionContext): WriteContext => {
  const http = context.switchToHttp();
  const request = http.getRequest<FastifyRequest>();
  return { identity: request.identity ?? OPEN_IDENTITY, request, reply: http.getResponse<FastifyReply>() };
});
