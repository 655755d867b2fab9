const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `100ms`, `5s`, `5m`, `2h`, `5d` → milliseconds. A bare number is milliseconds. */
export function parseDuration(text: string, name = 'duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) throw new Error(`${name}: "${text}" is not a duration like 100ms, 5s, 5m, 2h or 1d`);
  const ms = Number(match[1]) * UNITS[match[2] ?? 'ms'];
  if (!Number.isFinite(ms)) throw new Error(`${name}: "${text}" is too large`);
  return Math.round(ms);
}

/** A comma-separated list of durations: `5s,5m,30m,2h,5h,10h,10h`. */
export function parseSchedule(text: string, name = 'schedule'): number[] {
  const steps = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (steps.length === 0) throw new Error(`${name} must list at least one duration`);
  return steps.map((s) => parseDuration(s, name));
}
