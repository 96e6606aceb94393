import type { EventPlan } from './inputs';
import type { StartupPrediction } from './simulate';

/** Two notices for attendees, ready to paste into the hub's announcement or a class channel. */
export interface UserMessage {
  /** Before the event: what to expect and what to do. */
  before: string;
  /** During it, when servers are slow to start. */
  during: string;
  /** Which prediction the figures come from ("the hub as it is", "after the suggested changes"). */
  basis: string;
}

/** A wait people can plan with: 1, 2, 3, 5, 10, 15, 20, 30, 45, 60, then whole hours. */
export function friendlyMinutes(minutes: number): number {
  for (const step of [1, 2, 3, 5, 10, 15, 20, 30, 45, 60]) if (minutes <= step) return step;
  return Math.ceil(minutes / 60) * 60;
}

const minutesText = (m: number) =>
  m >= 60 && m % 60 === 0 ? `${m / 60} hour${m === 60 ? '' : 's'}` : `${m} minute${m === 1 ? '' : 's'}`;

/**
 * Plain words, no jargon: how long a server may take to start, why that is expected, and what to do.
 * The class-start incident showed that users read expected slowness as the hub being broken.
 */
export function userMessage(
  plan: EventPlan,
  p: StartupPrediction,
  timing: { scaleUpMinutes: number; startTimeoutMinutes: number },
  basis: string,
): UserMessage {
  const worst = p.longestWaitMinutes ?? p.endMinute;
  const upTo = friendlyMinutes(Math.max(p.p90WaitMinutes ?? worst, 0.5));
  const most = friendlyMinutes(Math.max(p.medianWaitMinutes ?? 0, 0.5));
  const reasons: string[] = [];
  if (p.scaleUps.length)
    reasons.push(
      `when many people start at once, the hub asks for more computers, and each one takes about ${minutesText(Math.max(1, Math.round(timing.scaleUpMinutes)))} to join`,
    );
  if (p.usersSeeing429 > 0) reasons.push('the hub starts a limited number of servers at a time, to stay healthy');
  const why = reasons.join('; and ');
  const retry =
    p.usersSeeing429 > 0
      ? ' If you see "Too many users trying to log in right now", wait a minute and click Start again.'
      : '';
  const timeout =
    p.longestPendingMinutes > timing.startTimeoutMinutes
      ? ' If the page says your server failed to start in time, click Start again.'
      : '';
  const shortfall =
    p.lastServerMinutes === null
      ? ` With ${plan.attendees} people, some may not get a server at first: if yours does not start, please tell the organisers.`
      : '';
  const slow = upTo > 1;
  const before = slow
    ? `When the session starts, your Jupyter server may take up to ${minutesText(upTo)} to start (most start within ${minutesText(most)}).${why ? ` This is expected: ${why}.` : ''} Please log in a few minutes early, click Start once and keep the page open: it opens your server by itself.${retry}${timeout}${shortfall}`
    : `When the session starts, your Jupyter server should start within a minute. Log in, click Start once and keep the page open: it opens your server by itself.${retry}${shortfall}`;
  const during = slow
    ? `Servers are starting slowly right now. This is expected, not an outage${why ? `: ${why}` : ''}. Keep the "Your server is starting" page open; it can take up to ${minutesText(upTo)}. Please do not reload it again and again.${retry}${timeout}`
    : `Servers are starting normally. If yours is not up within a couple of minutes, reload the page once.${retry}`;
  return { before, during, basis };
}
