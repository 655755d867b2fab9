import { EVENT_CATALOGUE, isEventType } from '../events/catalogue';
import { CORRECTION_PATH_PATTERN } from '../events/record-fix.events';
import { canonicalJson } from '../hash-chain';
import { applyChanges, factById, readPath, type FieldChangeLike } from '../stream-state';
import { validateAgainst } from '../validation';
import { accept, rule, type Command, type DecisionContext } from './decide';

const NOT_RETRACTABLE = new Set(['JurisdictionRegistered', 'OrganizationRegistered', 'OfficialRegistered', 'MeetingScheduled', 'EventRetracted']);
const NOT_CORRECTABLE = new Set(['CorrectionRecorded', 'EventRetracted']);

/** Corrections and retractions live in the stream of the event they fix. */
export function decideRecordFix(type: 'CorrectionRecorded' | 'EventRetracted', command: Command, { stream }: DecisionContext) {
  const targetEventId = String(command.data.targetEventId);
  const target = factById(stream, targetEventId);
  rule(!!target, 'TARGET.NOT_FOUND', `Event ${targetEventId} is not in ${command.streamId}.`, { targetEventId });
  rule(!target!.retracted, 'TARGET.RETRACTED', `Event ${targetEventId} was retracted.`, { targetEventId });

  if (type === 'EventRetracted') {
    rule(!NOT_RETRACTABLE.has(target!.type), 'TARGET.NOT_RETRACTABLE', `${target!.type} events cannot be retracted.`, {
      targetEventId,
      targetType: target!.type,
    });
    return accept(command);
  }

  rule(!NOT_CORRECTABLE.has(target!.type), 'CORRECTION.NOT_CORRECTABLE', `${target!.type} events cannot be corrected.`, {
    targetEventId,
    targetType: target!.type,
  });
  const changes = command.data.changes as FieldChangeLike[];
  for (const change of changes) {
    const current = readPath(target!, change.path) ?? null;
    rule(
      CORRECTION_PATH_PATTERN.test(change.path) && canonicalJson(current) === canonicalJson(change.from ?? null),
      'CORRECTION.STALE_FROM',
      `${change.path} is ${JSON.stringify(current)}, not ${JSON.stringify(change.from)}.`,
      { path: change.path, current },
    );
  }
  const corrected = applyChanges(target!, changes);
  if (isEventType(target!.type)) {
    const problems = validateAgainst(EVENT_CATALOGUE[target!.type].schema, corrected.data, 'data');
    rule(problems.length === 0, 'CORRECTION.INVALID_RESULT', 'The corrected event would fail its schema.', {
      errors: problems,
    });
  }
  return accept(command);
}
