import { encodeCursor, IndexedTimelineSource, readTimeline, type TimelineItem } from '@ledger/audit';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { openAuditSession } from './audit-session';
import { addLogFilterOptions, readFilterOptions } from './log-filter.options';

/** Fields that say best what an event was about, in order of preference. */
const SUMMARY_FIELDS = ['name', 'subject', 'title', 'quote', 'condition', 'program', 'requirement', 'summary', 'reason'];

export function registerTimeline(program: Command): void {
  addLogFilterOptions(
    program
      .command('timeline')
      .description('print the log in position order as a table (filters as GET /v1/timeline)')
      .option('-n, --limit <n>', 'events per page (1–500)', '50')
      .option('--cursor <cursor>', 'continue from a previous page')
      .option('--json', 'print the page as JSON'),
  ).action(async (options: Record<string, unknown> & { json?: boolean }) => {
    const { filter, extra } = readFilterOptions(options, ['limit', 'cursor'], (reader) => ({
      limit: reader.int('limit', 1, 500) ?? 50,
      after: reader.cursor('cursor'),
    }));
    const session = await openAuditSession();
    try {
      const page = await readTimeline(session.store, new IndexedTimelineSource(session.store, session.readModel), filter, extra);
      const nextCursor = page.nextAfter === null ? null : encodeCursor(page.nextAfter);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ items: page.items, nextCursor }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${renderTable(page.items, process.stdout.columns ?? 120)}\n`);
      const from = extra.after !== undefined ? ' (continued)' : '';
      process.stdout.write(
        page.items.length === 0 ? `no events${from}\n` : `${page.items.length} events${from}${nextCursor ? `; next page: --cursor ${nextCursor}` : ''}\n`,
      );
    } finally {
      await session.close();
    }
  });
}

export function renderTable(items: TimelineItem[], width: number): string {
  const fixed = [10, 12, 20, 26, 14];
  const summaryWidth = Math.max(20, width - fixed.reduce((a, b) => a + b, 0) - 8);
  const table = new Table({
    head: ['Position', 'Occurred', 'Type', 'Stream', 'Summary', 'Fixes'],
    colWidths: [fixed[0], fixed[1], fixed[2], fixed[3], summaryWidth, fixed[4]],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const e of items) table.push([String(e.position), e.occurredAt.slice(0, 10), e.type, e.streamId, summarize(e), fixes(e)]);
  return table.toString();
}

function summarize(e: TimelineItem): string {
  if (e.type === 'CorrectionRecorded') {
    const changes = (e.data.changes as { path: string; to: unknown }[]) ?? [];
    return `corrects ${String(e.data.targetEventId).slice(0, 8)}: ${changes.map((c) => `${c.path} → ${JSON.stringify(c.to)}`).join('; ')}`;
  }
  if (e.type === 'EventRetracted') return `retracts ${String(e.data.targetEventId).slice(0, 8)}: ${String(e.data.reason ?? '')}`;
  const field = SUMMARY_FIELDS.find((f) => typeof e.data[f] === 'string');
  const text = field ? String(e.data[field]) : JSON.stringify(e.data);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function fixes(e: TimelineItem): string {
  const parts: string[] = [];
  if (e.links.retractions.length) parts.push('RETRACTED');
  if (e.links.corrections.length) parts.push(`corrected ×${e.links.corrections.length}`);
  return parts.join(', ');
}
