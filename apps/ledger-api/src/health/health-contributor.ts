import { Injectable } from '@nestjs/common';

export interface HealthContributor {
  readonly name: string;
  health(): Promise<{ ready?: boolean; [detail: string]: unknown }>;
}

/** Background parts (projector, dispatcher…) register here in onModuleInit to appear in /health. */
@Injectable()
export class HealthRegistry {
  readonly contributors: HealthContributor[] = [];
  register(contributor: HealthContributor): void {
    this.contributors.push(contributor);
  }
}
