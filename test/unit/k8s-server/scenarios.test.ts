import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { execIn } from '../../k8s-server/execHelper';
import { findScenario, scenarios, Timeline } from '../../k8s-server/scenarios';
import { T0 } from '../../k8s-server/objects';
import { useTestServer } from '../../k8s-server/useTestServer';
import type { CoreEvent, Pod, Secret } from '../../k8s-server/wireTypes';
import { useTempDir } from '../../harness/tempDir';

const start = new Date(T0);

describe('k8s test server: scenarios in virtual time', () => {
  const server = useTestServer();
  const tmp = useTempDir('hubops-scenario-');
  const timeline = (name: string, options = {}) =>
    new Timeline(server(), findScenario(name)!.steps(options), { start });
  const pods = (ns: string) => server().cluster.list('pods', ns) as Pod[];
  const events = (ns: string) => server().cluster.list('events', ns) as CoreEvent[];
  const hubOf = (ns: string) => pods(ns).find((p) => p.metadata.labels?.component === 'hub')!;

  it('oom-loop: memory climbs to the limit, OOMKilled 137, CrashLoopBackOff, restarts growing', async () => {
    const s = server();
    const t = timeline('oom-loop', { durationMs: 10 * 60_000 });
    t.advanceTo(0);
    const hub = hubOf('hub-physics');
    assert.equal(hub.status.containerStatuses![0]!.ready, false);
    assert.equal(hub.spec.containers[0]!.image, 'quay.io/jupyterhub/k8s-hub:4.2.0');
    // The hub container holds a real SQLite DB that exec can read.
    const db = await execIn(s.kubeConfig(), { namespace: 'hub-physics', pod: hub.metadata.name, container: 'hub' }, [
      'sqlite3',
      '/srv/jupyterhub/jupyterhub.sqlite',
      'SELECT version_num FROM alembic_version; SELECT count(*) FROM spawners WHERE server_id IS NOT NULL;',
    ]);
    assert.equal(db.stdout.toString(), '4621fec11365\n12\n');

    t.advanceTo(75_000);
    const memory = s.cluster.listPodMetrics('hub-physics')[0]!.containers[0]!.usage.memory;
    assert.ok(parseInt(memory) * 1024 > 1.8 * 1024 ** 3, memory);

    t.advanceTo(80_000);
    const killed = hubOf('hub-physics').status.containerStatuses![0]!;
    assert.deepEqual(
      [killed.restartCount, killed.lastState.terminated?.reason, killed.lastState.terminated?.exitCode],
      [1, 'OOMKilled', 137],
    );
    assert.equal(killed.state.waiting?.reason, 'CrashLoopBackOff');
    assert.ok(
      events('hub-physics').some(
        (e) => e.reason === 'BackOff' && e.message.startsWith('Back-off restarting failed container hub in pod'),
      ),
    );
    assert.match(
      events('default').find((e) => e.reason === 'OOMKilling')!.message,
      /Killed process \d+ \(jupyterhub\) total-vm:/,
    );
    assert.match(
      s.cluster.logs.previous('hub-physics', hub.metadata.name, 'hub')!,
      /Running JupyterHub version 5\.3\.0/,
    );

    t.advanceTo(10 * 60_000);
    const later = hubOf('hub-physics').status.containerStatuses![0]!;
    assert.ok(later.restartCount >= 4, String(later.restartCount));
    assert.ok(events('hub-physics').find((e) => e.reason === 'BackOff')!.count >= 4);
  });

  it('oom-loop copies a given hub DB file into the container', async () => {
    const file = join(tmp(), 'incident.sqlite');
    execFileSync('sqlite3', [file, "CREATE TABLE marker(x); INSERT INTO marker VALUES ('from-the-incident');"]);
    const t = timeline('oom-loop', { hubDbFile: file, durationMs: 60_000 });
    t.advanceTo(0);
    const fs = server().cluster.containers.get('hub-physics', hubOf('hub-physics').metadata.name, 'hub');
    assert.match(fs.readFile('/srv/jupyterhub/jupyterhub.sqlite').toString('latin1'), /from-the-incident/);
  });

  it('class-start: throttling, Pending with FailedScheduling, preempted placeholders, scale-up, new nodes', () => {
    const s = server();
    const t = timeline('class-start', { durationMs: 30 * 60_000 });
    const users = () => pods('hub-classroom').filter((p) => p.metadata.labels?.component === 'singleuser-server');
    const pending = () => users().filter((p) => !p.spec.nodeName);
    t.advanceTo(0);
    assert.equal(users().length, 20);
    assert.equal(s.cluster.list('nodes').length, 5);

    t.advanceTo(2 * 60_000);
    assert.equal(
      users().filter((p) => p.metadata.labels?.['hub.jupyter.org/username']?.startsWith('ta-') === false).length,
      64 + 22,
    );
    assert.equal(pending().length, 64);
    const failed = events('hub-classroom').find((e) => e.reason === 'FailedScheduling')!;
    assert.match(failed.message, /^0\/5 nodes are available: .*3 Insufficient memory\. preemption: /);
    assert.equal(failed.source.component, 'hub-classroom-user-scheduler');
    assert.equal(events('hub-classroom').filter((e) => e.reason === 'Preempted').length, 6);
    // The first scale-up starts from the pool's 3 nodes (later ones from where the previous one left it).
    const scaleUps = events('hub-classroom').filter((e) => e.reason === 'TriggeredScaleUp');
    assert.ok(
      scaleUps.some((e) => /^pod triggered scale-up: \[\{.* 3->\d+ \(max: 10\)\}\]$/.test(e.message)),
      scaleUps.map((e) => e.message).join('\n'),
    );
    const metrics = s.cluster.hubMetrics('hub-classroom');
    assert.ok(metrics && 'text' in metrics);
    const throttled = Number(/spawn_duration_seconds_count\{status="throttled"\} (\d+)/.exec(metrics.text)![1]);
    assert.ok(throttled >= 150 - 64 - 22, String(throttled));

    t.advanceTo(9 * 60_000);
    assert.equal(s.cluster.list('nodes').length, 5, 'no new node before ~10 virtual minutes');
    t.advanceTo(12 * 60_000);
    assert.ok(s.cluster.list('nodes').length > 5);
    assert.ok(pending().length < 64);

    t.advanceTo(30 * 60_000);
    assert.equal(s.cluster.list('nodes').length, 2 + 10);
    assert.ok(pending().length > 0, 'the pool maximum leaves some students waiting');
    assert.ok(events('hub-classroom').some((e) => e.reason === 'NotTriggerScaleUp'));
  });

  it('versions: z2jh 3.x (escapism) and 4.x (safe slug) pod names and label sets', () => {
    timeline('versions').advanceTo(0);
    const names = (ns: string) =>
      pods(ns)
        .filter((p) => p.metadata.labels?.component === 'singleuser-server')
        .map((p) => p.metadata.name)
        .sort();
    // KubeSpawner 6: escapism ('.' → -2e, '@' → -40, capitals escaped too), trailing '--' dropped.
    assert.deepEqual(names('hub-legacy'), [
      'jupyter--41da',
      'jupyter-bob--my-2eanalysis',
      'jupyter-grace-40example-2eorg',
      'jupyter-li-2ewei',
      'jupyter-li-2ewei--gpu',
    ]);
    // KubeSpawner 7: names that are not valid object names become <stripped>---<8 hex of sha256(name)>.
    const sha8 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);
    assert.deepEqual(names('hub-modern'), [
      `jupyter-ada---${sha8('Ada')}`,
      `jupyter-bob--my-analysis---${sha8('my.analysis')}`,
      `jupyter-grace-example-org---${sha8('grace@example.org')}`,
      'jupyter-li-wei---0a5df1f7',
      'jupyter-li-wei---0a5df1f7--gpu',
    ]);
    assert.equal(hubOf('hub-legacy').metadata.labels!['app.kubernetes.io/component'], undefined);
    assert.equal(hubOf('hub-modern').metadata.labels!['app.kubernetes.io/component'], 'hub');
  });

  it('consecutive-failures: the hub exits 1 (Error) and its previous log ends with the abort', () => {
    const t = timeline('consecutive-failures');
    t.advanceTo(t.endMs);
    const hub = hubOf('hub-aborting');
    const c = hub.status.containerStatuses![0]!;
    assert.deepEqual(
      [c.restartCount, c.lastState.terminated?.reason, c.lastState.terminated?.exitCode],
      [1, 'Error', 1],
    );
    assert.ok(c.state.running);
    const previous = server().cluster.logs.previous('hub-aborting', hub.metadata.name, 'hub')!;
    assert.match(previous.trimEnd().split('\n').at(-1)!, /Aborting due to 5 consecutive spawn failures$/);
  });

  it('every release has its hub Secret (values.yaml) and ConfigMap, mounted by its hub pod', () => {
    timeline('incident', { durationMs: 60_000 }).advanceTo(0);
    timeline('versions').advanceTo(0);
    const limitIn = (ns: string) => {
      const secret = server().cluster.get<Secret>('Secret', ns, 'hub');
      assert.ok(secret?.data?.['values.yaml'], `hub Secret with values.yaml in ${ns}`);
      const values = Buffer.from(secret.data['values.yaml'], 'base64').toString('utf8');
      assert.match(values, /^Chart:\n {2}AppVersion: \S+\n {2}Name: jupyterhub\n/, ns);
      return /^ {2}concurrentSpawnLimit: (.*)$/m.exec(values)?.[1] ?? 'absent';
    };
    assert.deepEqual(
      ['hub-classroom', 'hub-staff', 'hub-physics', 'hub-legacy', 'hub-modern'].map((ns) => [ns, limitIn(ns)]),
      [
        ['hub-classroom', '64'],
        ['hub-staff', '100'],
        ['hub-physics', 'absent'],
        ['hub-legacy', '64'],
        ['hub-modern', '64'],
      ],
    );
    for (const ns of ['hub-classroom', 'hub-physics', 'hub-staff', 'hub-legacy']) {
      const volumes = hubOf(ns).spec.volumes as { name: string; secret?: { secretName: string } }[];
      assert.equal(volumes.find((v) => v.name === 'secret')?.secret?.secretName, 'hub', ns);
      assert.ok(server().cluster.get('ConfigMap', ns, 'hub'), `hub ConfigMap in ${ns}`);
    }
  });

  it('incident: three hubs in three namespaces of one cluster, played in real time at high speed', async () => {
    const s = server();
    const t = new Timeline(s, findScenario('incident')!.steps({ durationMs: 3 * 60_000 }), { start });
    await t.play({ speed: 1_000_000, tickMs: 5 }).finished;
    assert.ok(t.finished);
    assert.deepEqual(
      s.cluster.list('namespaces').map((n) => n.metadata.name),
      ['hub-classroom', 'hub-physics', 'hub-staff', 'kube-system'],
    );
    for (const ns of ['hub-classroom', 'hub-physics', 'hub-staff']) assert.ok(hubOf(ns), ns);
    assert.deepEqual(scenarios.map((x) => x.name).sort(), [
      'class-start',
      'consecutive-failures',
      'healthy',
      'incident',
      'oom-loop',
      'versions',
    ]);
  });
});
