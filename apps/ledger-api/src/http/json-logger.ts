import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

const QUIET_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/** Structured JSON logs (one object per line) for Nest's own messages and ours. */
export class JsonLogger implements LoggerService {
  readonly pino: Logger;

  constructor(level = process.env.LOG_LEVEL ?? 'info') {
    this.pino = pino({ level, base: { service: 'ledger' }, redact: ['req.headers.authorization', '*.authorization', '*.token', '*.secret'] });
  }

  log(message: unknown, context?: string) {
    // Nest's start-up chatter (every module and route) is debug detail, not news.
    this.write(context && QUIET_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.write('error', message, context, trace);
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string) {
    this.write('fatal', message, context);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string, trace?: string) {
    const fields = typeof message === 'object' && message !== null ? { ...(message as object) } : { msg: String(message) };
    this.pino[level]({ context, ...(trace ? { trace } : {}), ...fields });
  }
}
