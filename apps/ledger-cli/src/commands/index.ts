import type { Command } from 'commander';
import { registerDemo } from './demo.command';
import { registerImport } from './import.command';
import { registerExport } from './export.command';
import { registerRebuild } from './rebuild.command';
import { registerServe } from './serve.command';
import { registerStats } from './stats.command';
import { registerTimeline } from './timeline.command';
import { registerVerify } from './verify.command';
import { registerWorker } from './worker.command';

/** Every `ledger` command. Add a file per command and list its register function here. */
export const COMMANDS: ((program: Command) => void)[] = [registerServe, registerDemo, registerImport, registerVerify, registerExport, registerTimeline, registerStats, registerRebuild, registerWorker];
