import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factKey } from '../../../src/core/incident/factKey';
import { Journal } from '../../../src/core/incident/journal';
import { replay } from '../../../src/core/incident/journalReplay';
import { backfillJournal, notYetJournaled } from '../../../src/core/prometheus/backfill';
import { collapseHistory, defaultLookbackMs, rebuildHistory, type History } from '../../../src/core/prometheus/history';
import { classStartSteps } from '../../k8s-server/scenarios/classStart';
import { Timeline } from '../../k8s-server/scenarios/timeline';
import { startTestServer } from '../../k8s-server/server';
import { classStart, classStartSix, incidentNight, oomNightSteps } from '../../prometheus/histories';
import { usePrometheusClient } from '../../prometheus/usePrometheusHistories';

const minute = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('prometheus: history rebuilt for an incident', () => {
  const { client } = usePrometheusClient();

  const rebuild = async (hubs: string[], fromMs: number, toMs: number): Promise<History> => {
    const history = await rebuildHistory(client(), hubs, { fromMs, toMs });
    assert.ok(history.ok, history.ok ? '' : history.error.message);
    return history.value;
  };

  describe('the OOM loop, with the incident started four hours in', () => {
    const startedAt = incidentNight.start.getTime() + 4 * 3600_000; // 05:00, when engineers looked
    let history: History;
    before(async () => {
      history = await rebuild(['hub-physics'], startedAt - defaultLookbackMs, startedAt);
    });

    it('begins at the first OOM kill, at the minute it happened, from Prometheus', () => {
      const entries = collapseHistory(history.entries);
      const first = entries[0]!;
      assert.equal(first.kind, 'pod-oomkilled');
      assert.equal(first.time, '2026-11-23T01:01:00.000Z', 'the first kill is 80 s after 01:00');
      assert.equal(first.source, 'prometheus');
      assert.equal(first.resolution, '1m');
      assert.equal(first.component, 'hub');
      assert.equal(first.restarts, 1);
      assert.match(first.text, /^hub-\S+ OOMKilled \(container hub, exit 137, 1 restarts\)$/);
      assert.equal(history.stepSeconds, 60);
    });

    it('has every OOM kill the live scenario has, each at its minute, by restart count', () => {
      // The same scenario definition the live test server plays: its kill steps up to 05:00.
      const kills = oomNightSteps()
        .filter((s) => / hub OOMKilled \(restart \d+\)$/.test(s.label))
        .map((s) => incidentNight.start.getTime() + s.atMs)
        .filter((ms) => ms < startedAt - minute);
      const rebuilt = history.entries.filter((e) => e.kind === 'pod-oomkilled');
      assert.equal(rebuilt.length, kills.length);
      rebuilt.forEach((e, i) => {
        assert.equal(e.restarts, i + 1);
        const killMinute = Math.floor(kills[i]! / minute) * minute;
        // A kill is first scraped within 30 s: the entry is its minute, or the next when the scrape falls there.
        assert.ok(
          Date.parse(e.time) === killMinute || Date.parse(e.time) === killMinute + minute,
          `kill ${i + 1} at ${iso(kills[i]!)}, entry at ${e.time}`,
        );
      });
    });

    it('has the hub’s memory against its limit, and an entry where it crossed 90 %', () => {
      const [hub] = history.hubs;
      assert.equal(hub!.memory.length, 1);
      const points = hub!.memory[0]!.points;
      assert.ok(points.length > 30);
      assert.ok(points.every((p) => p.limitBytes === 2 * 1024 ** 3));
      assert.ok(points.some((p) => p.bytes >= 0.9 * p.limitBytes!));
      const memory = history.entries.filter((e) => e.kind === 'hub-memory');
      assert.equal(memory.length, 1, 'one episode: the crash loop crosses on many starts');
      assert.ok((memory[0]!.count as number) > 10);
      assert.ok((memory[0]!.bytes as number) >= 0.9 * 2 * 1024 ** 3);
      assert.match(memory[0]!.text, /^hub memory above 90% of its 2Gi limit \d+ times \(peak 1\.9Gi, 9\d%\)$/);
    });

    it('says the hub never answered a scrape, and nothing else is missing', () => {
      assert.deepEqual(history.problems, [
        'hub-physics: no JupyterHub metrics in the window (jupyterhub_server_spawn_duration_seconds_count): the hub is not scraped, or never stayed up long enough to be (a hub OOMKilled during start-up never is).',
      ]);
    });

    it('works the same for any past window: after the limit was raised', async () => {
      // The helm upgrade lands at the first start after 05:40; the new hub pod is up a few minutes later.
      const raisedAt = incidentNight.start.getTime() + 4 * 3600_000 + 40 * minute;
      const after = await rebuild(['hub-physics'], raisedAt + 10 * minute, raisedAt + 20 * minute);
      assert.deepEqual(
        after.entries.map((e) => e.kind),
        [],
        'no kill, no crossing: 2.2 GiB of 4 GiB',
      );
      const points = after.hubs[0]!.memory.flatMap((m) => m.points);
      assert.ok(points.some((p) => p.limitBytes === 4 * 1024 ** 3));
      assert.deepEqual(after.problems, [], 'the recovered hub is scraped');
    });
  });

  describe('the class start', () => {
    const start = classStart.start.getTime();
    let history: History;
    before(async () => {
      history = await rebuild(['hub-classroom'], start, start + 40 * minute);
    });

    it('counts throttled spawns per minute from the spawn counter, where JupyterHub 5.3 sent no 429', () => {
      const spawns = history.hubs[0]!.spawns;
      const throttledMinutes = spawns.filter((s) => s.throttled > 0);
      assert.ok(throttledMinutes.length >= 10);
      assert.equal(throttledMinutes[0]!.ms, start + minute, 'from the minute the class starts');
      assert.ok(
        spawns.every((s) => s.answered429 === 0),
        'GET spawn pages answered 200 before 5.4.0',
      );
      const entries = history.entries.filter((e) => e.kind === 'spawn-throttled');
      assert.equal(entries.length, throttledMinutes.length, 'one entry per minute');
      assert.match(entries[1]!.text, /^\d+ spawns throttled by the concurrent spawn limit, 0 answered HTTP 429$/);
      const burst = collapseHistory(history.entries).find((e) => e.kind === 'spawn-throttled')!;
      assert.match(burst.text, /^\d+ spawns throttled by the concurrent spawn limit$/);
    });

    it('shows the node count rising, as the live scenario has it at the same instants', async () => {
      const rises = history.entries.filter((e) => e.kind === 'node-count');
      assert.ok(rises.length >= 1);
      assert.equal(rises[0]!.previous, 5);
      assert.ok((rises.at(-1)!.ready as number) > 5);
      assert.equal(rises[0]!.hub, null, 'nodes are the cluster’s, not one hub’s');
      // The same scenario, live on a test server: a point at T holds the scrape at T − 23 s (scrapes at :07, :37).
      const live = await startTestServer({ tls: false });
      try {
        const timeline = new Timeline(live, classStartSteps({ durationMs: 40 * minute }), { start: classStart.start });
        for (const point of history.nodes.filter((_, i) => i % 3 === 1)) {
          timeline.advanceTo(point.ms - start - 23_000);
          assert.equal(point.ready, live.cluster.list('nodes').length, `nodes at ${iso(point.ms)}`);
        }
      } finally {
        await live.close();
      }
    });

    it('has the user pods that went Pending, one entry each, collapsing into bursts', () => {
      const pending = history.entries.filter((e) => e.kind === 'pod-pending');
      assert.ok(pending.length >= 64);
      assert.ok(pending.every((e) => typeof e.pod === 'string' && (e.pod as string).startsWith('jupyter-')));
      const bursts = collapseHistory(history.entries).filter((e) => e.kind === 'pod-pending');
      assert.match(bursts[0]!.text, /^\d+ user pods Pending$/);
      assert.ok(Math.max(...history.hubs[0]!.pending.map(([, n]) => n)) >= 64);
    });
  });

  it('JupyterHub 6 labels: throttled spawns are failures with reason throttled, and answered 429', async () => {
    const start = classStartSix.start.getTime();
    const history = await rebuild(['hub-classroom'], start, start + 20 * minute);
    const spawns = history.hubs[0]!.spawns.filter((s) => s.throttled > 0);
    assert.ok(spawns.length >= 5);
    assert.ok(spawns.every((s) => s.answered429 === s.throttled && s.failure === 0));
    const entry = history.entries.find((e) => e.kind === 'spawn-throttled')!;
    assert.match(entry.text, /^\d+ spawns throttled by the concurrent spawn limit \(HTTP 429\)$/);
  });

  it('missing series: a window with no data, and a namespace with no hub', async () => {
    const before = incidentNight.start.getTime() - 3 * 3600_000;
    const empty = await rebuild(['hub-physics'], before, before + 3600_000);
    assert.deepEqual(empty.entries, []);
    assert.match(empty.problems[0]!, /^No kube-state-metrics series in the window \(kube_node_info\)/);
    const wrong = await rebuild(
      ['hub-phyiscs'],
      incidentNight.start.getTime(),
      incidentNight.start.getTime() + 3600_000,
    );
    assert.match(
      wrong.problems[0]!,
      /^hub-phyiscs: no kube-state-metrics series for this namespace in the window: no pods ran there/,
    );
  });

  describe('into the journal, next to what the watcher saw', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hubops-backfill-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('journals nothing twice: not the watcher’s kills, not a second backfill', async () => {
      const startedAt = incidentNight.start.getTime() + 4 * 3600_000;
      const history = await rebuild(['hub-physics'], startedAt - defaultLookbackMs, startedAt + 30 * minute);
      const created = Journal.create(dir, {
        title: 'hub-physics OOMKilled',
        hubs: [{ context: 'prod', namespace: 'hub-physics' }],
        startedAt: iso(startedAt),
      });
      assert.ok(created.ok);
      const journal = created.value;
      // What the live watcher journaled from 05:00 (as the recorder writes it: exact finish time, the fact).
      const seen = history.entries.filter((e) => e.kind === 'pod-oomkilled' && Date.parse(e.time) >= startedAt);
      assert.ok(seen.length >= 3);
      for (const e of seen) {
        const watched = {
          kind: 'pod-oomkilled',
          hub: 'hub-physics',
          time: iso(Date.parse(e.time) + 20_000),
          source: 'cluster' as const,
          pod: e.pod,
          container: 'hub',
          exitCode: 137,
          restarts: e.restarts,
          component: 'hub',
          text: `${String(e.pod)} OOMKilled (container hub, exit 137, ${String(e.restarts)} restarts)`,
          fact: factKey({
            kind: 'pod-oomkilled',
            hub: 'hub-physics',
            pod: e.pod,
            container: 'hub',
            restarts: e.restarts,
          }),
        };
        assert.ok(journal.append(watched).ok);
      }
      const journaled = () => {
        const r = replay(journal.file);
        assert.ok(r.ok);
        return [...r.value.entries, ...r.value.hidden];
      };
      const first = backfillJournal(journal, history.entries, journaled());
      assert.ok(first.ok);
      assert.equal(first.value.skipped, seen.length);
      const kills = journaled().filter((e) => e.kind === 'pod-oomkilled');
      assert.equal(
        kills.length,
        new Set(history.entries.filter((e) => e.kind === 'pod-oomkilled').map((e) => e.restarts)).size,
      );
      assert.equal(new Set(kills.map((e) => e.restarts)).size, kills.length, 'each restart once');
      assert.equal(kills.filter((e) => e.source === 'cluster').length, seen.length, 'the watcher’s lines stay');
      const again = backfillJournal(journal, history.entries, journaled());
      assert.ok(again.ok);
      assert.equal(again.value.written, 0);
    });

    it('leaves out counts the watcher already journaled for the same minutes', () => {
      const at = Date.parse('2026-11-23T14:05:00Z');
      const counted = (source: 'cluster' | 'prometheus', ms: number, id: string) => ({
        id,
        time: iso(ms),
        kind: 'spawn-throttled',
        hub: 'hub-classroom',
        text: 'throttled',
        source,
        count: 10,
      });
      const fresh = notYetJournaled(
        [counted('prometheus', at, 'a'), counted('prometheus', at + 30 * minute, 'b')],
        [{ ...counted('cluster', at - minute, 'w'), until: iso(at + 2 * minute) }],
      );
      assert.deepEqual(
        fresh.map((e) => e.id),
        ['b'],
      );
    });
  });
});
