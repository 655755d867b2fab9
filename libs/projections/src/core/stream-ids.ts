import { parseStreamId } from '@ledger/domain';

type Parsed = Readonly<{ kind: string; id: string; ref: string }>;

const parsedStreams = new Map<string, Parsed | null>();

/**
 * `jurisdiction-chicago-il` → `{ kind: 'jurisdiction', id: 'chicago-il', ref: 'jurisdiction:chicago-il' }`,
 * remembered: every projection asks for every event, and the same streams recur all over a log.
 */
export function streamEntity(streamId: string): Parsed | null {
  let parsed = parsedStreams.get(streamId);
  if (parsed === undefined) {
    const own = parseStreamId(streamId);
    parsed = own ? Object.freeze({ kind: own.kind, id: own.id, ref: `${own.kind}:${own.id}` }) : null;
    if (parsedStreams.size >= 50_000) parsedStreams.clear();
    parsedStreams.set(streamId, parsed);
  }
  return parsed;
}
