import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { RateLimitGuard } from './rate-limit.guard';
import { SECURITY_CONFIG, type SecurityConfig } from './security-config';

/** The hardening settings and the rate limiter (the request timeout is a Fastify hook: harden-http.ts). */
@Global()
@Module({})
export class SecurityModule {
  static forRoot(config: SecurityConfig): DynamicModule {
    const imports = config.rateLimitPerMinute > 0
      ? [
          // A sliding minute (blockDuration 0): each request counts for 60 s, no lock-out beyond that.
          ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute, blockDuration: 0 }] }),
        ]
      : [];
    const providers: Provider[] = [{ provide: SECURITY_CONFIG, useValue: config }];
    return { module: SecurityModule, imports, providers, exports: [SECURITY_CONFIG, ...imports] };
  }
}

/**
 * The rate-limit guard, for AppModule's providers ahead of the key guard (global guards
 * run in the order they are listed), so that a flood of missing or wrong keys is limited too.
 */
export function rateLimitGuards(config: SecurityConfig): Provider[] {
  return config.rateLimitPerMinute > 0 ? [{ provide: APP_GUARD, useClass: RateLimitGuard }] : [];
}
