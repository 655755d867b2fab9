import type { Command } from 'commander';
import { registerServe } from './serve.command';

/** Every `ledger` command. Add a file per command and list its register function here. */
export const COMMANDS: ((program: Command) => void)[] = [registerServe];
