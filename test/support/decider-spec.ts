import type { NewEvent } from '@ledger/domain';
import { LedgerError } from '@ledger/domain';
import { decide, type Command } from '@ledger/domain';
import { emptyStream, evolve, type StreamState } from '@ledger/domain';

type Given = (NewEvent & { streamId: string })[];

/**
 * given(events in any streams).when(command).then(events) / .thenRejects(code):
 * domain rules read as stories. Streams are folded from the given events.
 */
export function given(events: Given = [], now = new Date('2026-01-01T00:00:00Z')) {
  const states = new Map<string, StreamState>();
  for (const e of events) states.set(e.streamId, evolve(states.get(e.streamId) ?? emptyStream(e.streamId), e));
  return {
    when(command: Command) {
      const run = () =>
        decide(command, {
          stream: states.get(command.streamId) ?? emptyStream(command.streamId),
          related: states,
          now,
        });
      return {
        then(expected: Partial<NewEvent>[]) {
          const produced = run();
          expect(produced).toHaveLength(expected.length);
          expected.forEach((e, i) => expect(produced[i]).toMatchObject(e));
        },
        thenRejects(code: string) {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(LedgerError);
          expect((caught as LedgerError).code).toBe(code);
        },
      };
    },
  };
}
