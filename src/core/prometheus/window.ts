/** A history window from what an operator types: `--since 6h`, or `--from T --to T` (ISO 8601, or `now`). */
import { err, ok, UserError, type Result } from '../result';
import type { HistoryWindow } from './history';
import { parseDuration } from './step';

export interface WindowInput {
  since?: string;
  from?: string;
  to?: string;
  /** The end when none is given (now, or an incident's end). */
  defaultEndMs: number;
  /** The start when neither --since nor --from is given. */
  defaultStartMs: number;
}

function parseTime(text: string, nowMs: number): number {
  if (text.trim() === 'now') return nowMs;
  return Date.parse(text.trim());
}

export function parseWindow(input: WindowInput): Result<HistoryWindow> {
  if (input.since !== undefined && input.from !== undefined)
    return err(new UserError('Give --since or --from, not both.', 'bad-window'));
  const toMs = input.to !== undefined ? parseTime(input.to, input.defaultEndMs) : input.defaultEndMs;
  if (Number.isNaN(toMs))
    return err(
      new UserError(
        `--to "${input.to}" is not a time (use ISO 8601, e.g. 2026-11-23T05:00:00Z, or now).`,
        'bad-window',
      ),
    );
  let fromMs = input.defaultStartMs;
  if (input.since !== undefined) {
    const span = parseDuration(input.since);
    if (Number.isNaN(span) || span <= 0)
      return err(new UserError(`--since "${input.since}" is not a duration (e.g. 6h, 90m, 2d).`, 'bad-window'));
    fromMs = toMs - span;
  } else if (input.from !== undefined) {
    fromMs = parseTime(input.from, input.defaultEndMs);
    if (Number.isNaN(fromMs))
      return err(
        new UserError(`--from "${input.from}" is not a time (use ISO 8601, e.g. 2026-11-22T23:00:00Z).`, 'bad-window'),
      );
  }
  if (fromMs >= toMs) return err(new UserError('The window ends before it starts.', 'bad-window'));
  return ok({ fromMs, toMs });
}
