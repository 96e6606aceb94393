import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Journal } from '../../../src/core/incident/journal';
import { BurstCollapser } from '../../../src/core/incident/journalCollapse';
import type { JournalEntry } from '../../../src/core/incident/journalEntry';
import { replay } from '../../../src/core/incident/journalReplay';
import { useTempDir } from '../../harness/tempDir';

const base = Date.UTC(2026, 8, 8, 13, 0, 0);
const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();
const hubs = [{ context: 'campus', namespace: 'ds100' }];

function pending(i: number, seconds: number, hub = 'ds100') {
  return {
    kind: 'pod-pending',
    hub,
    source: 'cluster' as const,
    pod: `jupyter-s${i}`,
    text: `Pod jupyter-s${i} Pending`,
    time: at(seconds),
  };
}

function replayed(file: string) {
  const r = replay(file);
  assert.ok(r.ok);
  return r.value;
}

describe('collapsing bursts in the journal', () => {
  const dir = useTempDir();
  const open = () => {
    const created = Journal.create(dir(), { title: 'class start', hubs, startedAt: at(-60) });
    assert.ok(created.ok);
    return created.value;
  };

  it('turns 100 pods going Pending within a minute into one entry with a count and a time range', () => {
    const journal = open();
    for (let i = 0; i < 100; i++) assert.ok(journal.append(pending(i, i * 0.5)).ok);
    const { entries, warnings } = replayed(journal.file);
    assert.deepEqual(warnings, []);
    assert.equal(entries.length, 1);
    const [burst] = entries;
    assert.equal(burst!.count, 100);
    assert.equal(burst!.time, at(0));
    assert.equal(burst!.until, at(49.5));
    assert.equal(burst!.text, '100 pods Pending');
    assert.equal((burst!.pods as string[]).length, 20, 'a sample of pod names, not all of them');
    // Still append-only: every member wrote a line (crash-safe), each superseding the previous burst line.
    const lines = readFileSync(journal.file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 101);
    const last = JSON.parse(lines[100]!) as JournalEntry;
    const previous = JSON.parse(lines[99]!) as JournalEntry;
    assert.equal(last.supersedes, previous.id);
  });

  it('starts a new burst after a quiet gap, and keeps hubs and kinds apart', () => {
    const journal = open();
    journal.append(pending(1, 0));
    journal.append(pending(2, 30));
    journal.append(pending(3, 200)); // more than a minute after the last: a new burst
    journal.append(pending(4, 210, 'other-hub'));
    journal.append({
      kind: 'failed-scheduling',
      hub: 'ds100',
      message: '0/5 nodes are available',
      text: 'FailedScheduling',
      time: at(31),
    });
    const { entries } = replayed(journal.file);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.hub, e.count ?? 1, e.time]),
      [
        ['pod-pending', 'ds100', 2, at(0)],
        ['failed-scheduling', 'ds100', 1, at(31)],
        ['pod-pending', 'ds100', 1, at(200)],
        ['pod-pending', 'other-hub', 1, at(210)],
      ],
    );
  });

  it('sums counts the producer measured, and says the latest message', () => {
    const journal = open();
    journal.append({ kind: 'spawn-throttled', hub: 'ds100', count: 40, text: '40 throttled', time: at(45) });
    journal.append({ kind: 'spawn-throttled', hub: 'ds100', count: 30, text: '30 throttled', time: at(75) });
    journal.append({ kind: 'scale-up', hub: 'ds100', message: 'a', text: 'scale-up 5->9', time: at(30) });
    journal.append({ kind: 'scale-up', hub: 'ds100', message: 'b', text: 'scale-up 9->10', time: at(60) });
    const { entries } = replayed(journal.file);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.count, e.text]),
      [
        ['scale-up', 2, '2 TriggeredScaleUp events; latest: scale-up 9->10'],
        ['spawn-throttled', 70, '70 spawn requests throttled (HTTP 429)'],
      ],
    );
  });

  it('never collapses the hub pod: each OOM kill stays its own line', () => {
    const journal = open();
    for (let i = 1; i <= 3; i++)
      journal.append({
        kind: 'pod-oomkilled',
        hub: 'ds100',
        pod: 'hub-5d8f7c9b6-abcde',
        component: 'hub',
        restarts: i,
        text: `hub OOMKilled ${i}`,
        time: at(i * 20),
      });
    assert.equal(replayed(journal.file).entries.length, 3);
  });

  it('caps a burst at its maximum span, so a long storm becomes a few lines', () => {
    const collapser = new BurstCollapser({
      gapMs: 60_000,
      maxSpanMs: 120_000,
      kinds: new Set(['pod-pending']),
      samplePods: 5,
    });
    let n = 0;
    const lines = [];
    for (let s = 0; s <= 300; s += 30) {
      const entry: JournalEntry = {
        id: `p${s}`,
        time: at(s),
        kind: 'pod-pending',
        hub: 'ds100',
        text: 'x',
        source: 'cluster',
        pod: `jupyter-${s}`,
      };
      lines.push(collapser.next(entry, () => `b${n++}`));
    }
    const fresh = lines.filter((l) => l.supersedes === undefined).map((l) => l.time);
    assert.deepEqual(fresh, [at(0), at(150), at(300)]);
  });

  it('continues an open burst after the journal is reopened (a window reload mid-burst)', () => {
    const journal = open();
    journal.append(pending(1, 0));
    journal.append(pending(2, 10));
    const reopened = Journal.open(journal.file);
    assert.ok(reopened.ok);
    reopened.value.journal.append(pending(3, 20));
    const { entries } = replayed(journal.file);
    assert.deepEqual(
      entries.map((e) => e.count),
      [3],
    );
  });

  it('keeps an operator edit of a burst when the burst grows, and starts afresh after the burst is hidden', () => {
    const journal = open();
    journal.append(pending(1, 0));
    const second = journal.append(pending(2, 5));
    assert.ok(second.ok);
    journal.edit(second.value.id, 'Class start: students waiting');
    journal.append(pending(3, 10));
    let { entries } = replayed(journal.file);
    assert.deepEqual(
      entries.map((e) => [e.text, e.count]),
      [['Class start: students waiting', 3]],
    );

    journal.hide(second.value.id); // an older line of the same burst: the whole burst is hidden
    journal.append(pending(4, 15));
    ({ entries } = replayed(journal.file));
    assert.deepEqual(
      entries.map((e) => [e.text, e.count ?? 1]),
      [['Pod jupyter-s4 Pending', 1]],
    );
  });
});
