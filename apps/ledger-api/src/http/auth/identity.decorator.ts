import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { OPEN_IDENTITY, type Identity } from './api-keys';

/** The caller's identity, set by ApiKeyGuard. `recordedBy` comes from here, never from a body. */
export const CurrentIdentity = createParamDecorator((_: unknown, context: ExecutionContext): Identity => {
  return context.switchToHttp().getRequest<FastifyRequest>().identity ?? OPEN_IDENTITY;
});
