/**
 * The log's schema. The database enforces what it can: global order (`position INTEGER
 * PRIMARY KEY`, handed out in commit order under BEGIN IMMEDIATE), one event per stream
 * revision, one row per event id, and no UPDATE or DELETE ever.
 */
export const EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position              INTEGER PRIMARY KEY,
  event_id              TEXT    NOT NULL UNIQUE,
  stream_id             TEXT    NOT NULL,
  revision              INTEGER NOT NULL CHECK (revision >= 0),
  type                  TEXT    NOT NULL,
  occurred_at           TEXT    NOT NULL,
  occurred_at_precision TEXT    NOT NULL,
  recorded_at           TEXT    NOT NULL,
  data                  TEXT    NOT NULL,
  metadata              TEXT    NOT NULL,
  prev_hash             TEXT    NOT NULL,
  hash                  TEXT    NOT NULL,
  content_digest        TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
CREATE TRIGGER IF NOT EXISTS events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: record a correction instead'); END;
CREATE TRIGGER IF NOT EXISTS events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: record a retraction instead'); END;
`;

export interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  occurred_at: string;
  occurred_at_precision: string;
  recorded_at: string;
  data: string;
  metadata: string;
  prev_hash: string;
  hash: string;
  content_digest: string;
}
