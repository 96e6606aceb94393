import assert from 'node:assert/strict';
import type { JournalEntry } from '../../../src/core/incident/journalEntry';
import { replayText } from '../../../src/core/incident/journalReplay';
import { draftReport } from '../../../src/core/incident/reportDraft';
import { incidentMeta, journalText } from '../../builders/journal';

/**
 * node-problem-detector reports every kernel OOM kill as a node event (OOMKilling), including a container
 * killed at its own memory limit. Only kills outside a container's cgroup mean the node ran out.
 */
describe('node OOM events: a container at its limit is not a node out of memory', () => {
  const node = 'gke-hub-cluster-core-pool-8d1c3f2a-7k2x';
  const nodeEvent = (id: string, minute: number, message: string): Partial<JournalEntry> => ({
    id,
    time: new Date(Date.parse('2026-05-14T18:00:00Z') + minute * 60_000).toISOString(),
    kind: 'node-oom',
    hub: null,
    source: 'cluster',
    node,
    reason: 'OOMKilling',
    message,
    text: `OOMKilling node/${node}: ${message}`,
  });
  const draft = (entries: Partial<JournalEntry>[]) => {
    const replayed = replayText(journalText(incidentMeta(), entries));
    assert.ok(replayed.ok);
    return draftReport(replayed.value, { timezone: 'UTC', now: Date.parse('2026-05-14T19:00:00Z') });
  };

  it('keeps cgroup OOM kills in the timeline but out of "nodes ran out of memory"', () => {
    const d = draft([
      nodeEvent('n1', 2, 'Memory cgroup out of memory: Killed process 2817 (jupyterhub) total-vm:2893416kB'),
      nodeEvent('n2', 4, 'Memory cgroup out of memory: Killed process 2930 (jupyterhub) total-vm:2893416kB'),
    ]);
    assert.match(
      d.sections.timeline,
      /OOMKilling node\/gke-hub-cluster-core-pool-8d1c3f2a-7k2x: Memory cgroup out of memory/,
    );
    assert.doesNotMatch(d.sections.summary, /Nodes ran out of memory/);
    assert.doesNotMatch(d.sections.impact, /node OOM kill/);
    assert.doesNotMatch(d.sections.actionItems, /Review node sizes/);
  });

  it('still reports kills outside a container limit as the node running out of memory', () => {
    const d = draft([
      nodeEvent('n1', 2, 'Memory cgroup out of memory: Killed process 2817 (jupyterhub)'),
      nodeEvent('n2', 9, 'Killed process 4242 (python3) total-vm:8123456kB, anon-rss:7900000kB'),
    ]);
    assert.match(d.sections.summary, /Nodes ran out of memory once at 18:09 UTC\./);
    assert.match(d.sections.actionItems, /Review node sizes and memory guarantees/);
  });
});
