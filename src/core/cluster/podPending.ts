import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterEvent } from './clusterEvents';
import { formatAge } from '../../shared/format';
import { toIso, toMillis } from './kubeTime';
import type { PodPending, PodRole } from './model';

const latest = (events: ClusterEvent[], reason: string): ClusterEvent | undefined =>
  events.filter((e) => e.reason === reason).sort((a, b) => (b.lastTime ?? 0) - (a.lastTime ?? 0))[0];

/**
 * Turns the scheduler's "0/5 nodes are available: 1 node(s) had untolerated taint {…}, 4 Insufficient
 * memory. preemption: …" into "Insufficient memory (4/5 nodes), untolerated taint {…} (1/5)": the
 * biggest obstacle first, the preemption postscript dropped (it repeats the same nodes).
 */
export function summarizeScheduling(message: string): string {
  const match = /^0\/(\d+) nodes are available: (.*?)(?:\.\s*preemption:.*)?\.?$/s.exec(message.trim());
  if (!match) return message.trim().split('\n')[0]!.slice(0, 300);
  const total = match[1]!;
  const clauses = match[2]!
    .split(/, (?=\d+ )/)
    .map((clause) => {
      const m = /^(\d+) (.*)$/.exec(clause.trim());
      if (!m) return { count: 0, text: clause.trim() };
      const text = m[2]!
        .replace(/^node\(s\) had untolerated taint/, 'untolerated taint')
        .replace(/^node\(s\) didn't match Pod's node affinity\/selector/, 'node affinity/selector does not match')
        .replace(/^node\(s\) /, '');
      return { count: Number(m[1]), text };
    })
    .sort((a, b) => b.count - a.count);
  return clauses
    .map((c, i) => (c.count ? `${c.text} (${c.count}/${total}${i === 0 ? ' nodes' : ''})` : c.text))
    .join(', ');
}

/**
 * Why a Pending pod is still pending, from its PodScheduled condition, its container states and the
 * scheduler's and autoscaler's events about it. `events` are the events about this pod (by name).
 */
export function pendingReason(pod: V1Pod, role: PodRole, events: ClusterEvent[], now: number): PodPending | null {
  if (pod.status?.phase !== 'Pending' || pod.metadata?.deletionTimestamp) return null;
  const created = toMillis(pod.metadata?.creationTimestamp);
  // Events about an earlier pod of the same name (a re-created placeholder) still explain this one's
  // preemption, but scheduling events from before this pod existed do not.
  const current = events.filter((e) => created === null || (e.lastTime ?? 0) >= created - 1000);
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');

  if (scheduled?.status === 'False' || (!pod.spec?.nodeName && latest(current, 'FailedScheduling'))) {
    const scaleUp = latest(current, 'TriggeredScaleUp');
    const noScaleUp = latest(current, 'NotTriggerScaleUp');
    if (scaleUp && (!noScaleUp || (scaleUp.lastTime ?? 0) >= (noScaleUp.lastTime ?? 0))) {
      const since = scaleUp.firstTime ?? scaleUp.lastTime;
      return {
        kind: 'scale-up',
        reason: `waiting for scale-up ${since === null ? '' : formatAge(now - since)}`.trim(),
        since: toIso(since),
        detail: scaleUp.message,
      };
    }
    const failed = latest(current, 'FailedScheduling');
    const schedulerWords = scheduled?.message || failed?.message || '';
    const summary = schedulerWords ? summarizeScheduling(schedulerWords) : 'no node fits';
    if (noScaleUp) {
      const why = noScaleUp.message.replace(/^pod didn't trigger scale-up:?\s*/, '').trim();
      return {
        kind: 'no-scale-up',
        reason: `no scale-up (${why || 'autoscaler declined'}); ${summary}`,
        since: toIso(noScaleUp.firstTime ?? noScaleUp.lastTime),
        detail: noScaleUp.message,
      };
    }
    const since = toIso(scheduled?.lastTransitionTime) ?? toIso(failed?.firstTime) ?? toIso(created);
    const preempted = role === 'placeholder' ? latest(events, 'Preempted') : undefined;
    if (preempted) {
      return {
        kind: 'preempted',
        reason: `preempted by a user pod, re-created and unschedulable: ${summary}`,
        since,
        detail: preempted.message,
      };
    }
    return { kind: 'unschedulable', reason: summary, since, ...(schedulerWords ? { detail: schedulerWords } : {}) };
  }

  if (scheduled?.status === 'True' || pod.spec?.nodeName) {
    const since = toIso(scheduled?.lastTransitionTime) ?? toIso(created);
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const pullFailure = statuses.find((s) =>
      /^(ErrImagePull|ImagePullBackOff|InvalidImageName)$/.test(s.state?.waiting?.reason ?? ''),
    );
    if (pullFailure) {
      const words = pullFailure.state!.waiting!.message ?? pullFailure.state!.waiting!.reason!;
      return {
        kind: 'image-pull',
        reason: `image pull failed: ${words.split('\n')[0]!.slice(0, 200)}`,
        since,
        detail: words,
      };
    }
    const pulling = latest(current, 'Pulling');
    const pulled = latest(current, 'Pulled');
    if (pulling && (!pulled || (pulled.lastTime ?? 0) < (pulling.lastTime ?? 0))) {
      const image = /image "([^"]+)"/.exec(pulling.message)?.[1];
      return {
        kind: 'image-pull',
        reason: `pulling image${image ? ` ${image}` : ''}`,
        since: toIso(pulling.firstTime ?? pulling.lastTime),
        detail: pulling.message,
      };
    }
    const initRunning = (pod.status?.initContainerStatuses ?? []).some((s) => s.state?.running || s.state?.waiting);
    return { kind: 'creating', reason: initRunning ? 'init containers running' : 'creating containers', since };
  }

  return { kind: 'scheduling', reason: 'waiting for the scheduler', since: toIso(created) };
}
