/** Ids are lower-case slugs: `chicago-il`, `us-doj`, `doj-2018-01-24`. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 100;

export const ENTITY_KINDS = ['jurisdiction', 'official', 'organization', 'meeting', 'webhook'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Actors are the entities that can act or be acted upon: `organization:us-doj`. */
export const ACTOR_KINDS = ['jurisdiction', 'official', 'organization'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
export const ACTOR_REF_PATTERN = /^(jurisdiction|official|organization):[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(value);
}

export function streamIdFor(kind: EntityKind, id: string): string {
  return `${kind}-${id}`;
}

/** Splits `jurisdiction-chicago-il` into its kind and id; null when it is not a ledger stream id. */
export function parseStreamId(streamId: string): { kind: EntityKind; id: string } | null {
  for (const kind of ENTITY_KINDS) {
    const prefix = `${kind}-`;
    if (streamId.startsWith(prefix)) {
      const id = streamId.slice(prefix.length);
      return isSlug(id) ? { kind, id } : null;
    }
  }
  return null;
}

export function parseActorRef(ref: string): { kind: ActorKind; id: string } | null {
  if (!ACTOR_REF_PATTERN.test(ref)) return null;
  const [kind, id] = ref.split(':') as [ActorKind, string];
  return { kind, id };
}

export function actorRef(kind: ActorKind, id: string): string {
  return `${kind}:${id}`;
}

/** The stream an actor reference lives in: `organization:us-doj` → `organization-us-doj`. */
export function streamIdOfActor(ref: string): string | null {
  const actor = parseActorRef(ref);
  return actor ? streamIdFor(actor.kind, actor.id) : null;
}
