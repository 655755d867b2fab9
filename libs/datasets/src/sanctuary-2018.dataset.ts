import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Confidence, Precision, SourceRef } from '@ledger/domain';

const FILE_NAME = 'sanctuary-2018.ndjson';

/**
 * The file sits beside `src/` in the repository. A compiled build (dist/libs/datasets/src)
 * does not copy it, so fall back to the repository's copy four levels up.
 */
function locate(): string {
  const candidates = [resolve(__dirname, '..', FILE_NAME), resolve(__dirname, '../../../../libs/datasets', FILE_NAME)];
  return candidates.find((file) => existsSync(file)) ?? candidates[0];
}

/** The January 2018 DOJ letters to 23 "sanctuary" jurisdictions and the mayors' boycott (README.md). */
export const SANCTUARY_2018_PATH = locate();

/** One import line: an envelope without the server's fields (DESIGN.md, "Requests and responses"). */
export interface DatasetLine {
  type: string;
  streamId: string;
  eventId: string;
  occurredAt: string;
  occurredAtPrecision?: Precision;
  data: Record<string, unknown>;
  metadata: { source: SourceRef; confidence?: Confidence };
}

/** The raw NDJSON, as `POST /v1/import` and `ledger import` take it. */
export function readDatasetText(file: string = SANCTUARY_2018_PATH): string {
  return readFileSync(file, 'utf8');
}

/** The lines parsed, in file order (the order that satisfies every rule); blank lines skipped. */
export function readDatasetLines(file: string = SANCTUARY_2018_PATH): DatasetLine[] {
  return readDatasetText(file)
    .split('\n')
    .map((text, index) => ({ text: text.trim(), number: index + 1 }))
    .filter(({ text }) => text.length > 0)
    .map(({ text, number }) => {
      try {
        return JSON.parse(text) as DatasetLine;
      } catch (error) {
        throw new Error(`${file}:${number} is not valid JSON: ${(error as Error).message}`);
      }
    });
}
