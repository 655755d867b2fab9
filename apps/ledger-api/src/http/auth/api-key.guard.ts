import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { LedgerError } from '@ledger/domain';
import type { FastifyRequest } from 'fastify';
import { findKey, OPEN_IDENTITY, type ApiKey, type Identity, type Role } from './api-keys';
import { SECURITY_CONFIG, type SecurityConfig } from '../security/security-config';
import { CONFIGURED_ACCESS_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

export const API_KEYS = Symbol('API_KEYS');

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
  }
}

/**
 * Bearer-token keys and roles. Every route must say who may call it: a route with
 * neither @Roles nor @Public is refused, so a forgotten decorator fails closed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEYS) private readonly keys: ApiKey[],
    @Inject(SECURITY_CONFIG) private readonly security: SecurityConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const configured = this.reflector.getAllAndOverride<'metrics'>(CONFIGURED_ACCESS_KEY, targets);
    const access = configured === 'metrics' ? this.security.metricsAccess : undefined;
    if (access === 'open' || this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      request.identity = this.identify(request, false) ?? undefined;
      return true;
    }
    const needed = access ?? this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    const identity = this.identify(request, true)!;
    request.identity = identity;
    if (!needed?.length) throw new LedgerError('AUTH.FORBIDDEN', 'This route is not open to any role.');
    if (!needed.some((role) => identity.roles.includes(role))) {
      throw new LedgerError('AUTH.FORBIDDEN', `This route needs the ${needed.join(' or ')} role.`, { needed });
    }
    return true;
  }

  private identify(request: FastifyRequest, required: boolean): Identity | null {
    if (this.keys.length === 0) return OPEN_IDENTITY;
    const header = request.headers.authorization;
    if (!header) {
      if (required) throw new LedgerError('AUTH.MISSING_KEY', 'Send Authorization: Bearer <token>.');
      return null;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const key = match ? findKey(this.keys, match[1]) : null;
    if (!key) {
      if (required) throw new LedgerError('AUTH.BAD_KEY', 'The API key is not known.');
      return null;
    }
    return { name: key.name, roles: key.roles };
  }
}
