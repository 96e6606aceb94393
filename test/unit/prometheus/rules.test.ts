import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import {
  prometheusRuleYaml,
  rulePack,
  rulesFileYaml,
  type RulePack,
  type RulePackOptions,
} from '../../../src/core/prometheus/alertRules';
import { connectUrl } from '../../../src/core/prometheus/source';
import { replayRules, type Replay } from '../../../src/core/prometheus/replay';
import { hubPod } from '../../k8s-server/objects';
import { classStartSteps } from '../../k8s-server/scenarios/classStart';
import { consecutiveFailuresSteps } from '../../k8s-server/scenarios/consecutiveFailures';
import { healthyHubSteps } from '../../k8s-server/scenarios/healthyHub';
import { oomLoopSteps } from '../../k8s-server/scenarios/oomLoop';
import { minutes } from '../../k8s-server/scenarios/timeline';
import { classStart, incidentNight, leakyHub } from '../../prometheus/histories';
import { ruleTest, ruleTestFile, type Expectation, type ScenarioInput } from '../../prometheus/ruleTests';
import { promtoolBinary } from '../../prometheus/testPrometheus';
import { usePrometheusHistories } from '../../prometheus/usePrometheusHistories';
import { useTempDir } from '../../harness/tempDir';

const run = promisify(execFile);
const hubs = ['hub-physics', 'hub-classroom', 'hub-aborting', 'hub-leaky', 'hub-staff'];
const alerts = [
  'JupyterHubHubOOMKilled',
  'JupyterHubHubRestarted',
  'JupyterHubHubMemoryNearLimit',
  'JupyterHubSpawnsThrottled',
  'JupyterHubUserPodsPending',
  'JupyterHubSpawnFailures',
  'JupyterHubSlowStartup',
];

const oomHubPod = hubPod({ namespace: 'hub-physics', chart: '4.2.0', node: 'n' }).metadata.name;
const leakyHubPod = hubPod({ namespace: 'hub-leaky', chart: '4.3.2', node: 'n' }).metadata.name;

/** Each rule's scenario, and the healthy hub where every rule must stay quiet. */
const scenarios: { input: () => ScenarioInput; expect: Expectation[] }[] = [
  {
    // The limit is raised at 20 min: the hub's next start (24.5 min) takes 95 s and succeeds.
    input: () => ({
      name: 'oom-loop',
      steps: oomLoopSteps({ durationMs: minutes(32), limitRaisedAtMs: minutes(20) }),
      durationMs: minutes(32),
    }),
    expect: [
      { alert: 'JupyterHubHubOOMKilled', evalTime: '10m', firing: [{ namespace: 'hub-physics', pod: oomHubPod }] },
      { alert: 'JupyterHubHubRestarted', evalTime: '10m', firing: [{ namespace: 'hub-physics', pod: oomHubPod }] },
      // Above 90 % only for seconds before each kill: never for 5 minutes.
      { alert: 'JupyterHubHubMemoryNearLimit', evalTime: '10m', firing: [] },
      { alert: 'JupyterHubSlowStartup', evalTime: '30m', firing: [{ namespace: 'hub-physics' }] },
    ],
  },
  {
    input: () => ({
      name: 'class-start',
      steps: classStartSteps({ durationMs: minutes(26) }),
      durationMs: minutes(26),
    }),
    expect: [
      { alert: 'JupyterHubSpawnsThrottled', evalTime: '5m', firing: [{ namespace: 'hub-classroom' }] },
      { alert: 'JupyterHubUserPodsPending', evalTime: '8m', firing: [] },
      // The first wave waits about 10.5 min for new nodes; those admitted at ~13 min never get one (the
      // pool is at its maximum) and pass 10 minutes Pending at ~23 min.
      { alert: 'JupyterHubUserPodsPending', evalTime: '25m', firing: [{ namespace: 'hub-classroom' }] },
    ],
  },
  {
    input: () => ({ name: 'consecutive-failures', steps: consecutiveFailuresSteps(), durationMs: minutes(6) }),
    expect: [
      { alert: 'JupyterHubSpawnFailures', evalTime: '5m', firing: [{ namespace: 'hub-aborting' }] },
      {
        alert: 'JupyterHubHubRestarted',
        evalTime: '5m',
        firing: [
          {
            namespace: 'hub-aborting',
            pod: hubPod({ namespace: 'hub-aborting', chart: '4.2.0', node: 'n' }).metadata.name,
          },
        ],
      },
      { alert: 'JupyterHubHubOOMKilled', evalTime: '5m', firing: [] },
    ],
  },
  {
    input: () => ({
      name: 'leaky-hub',
      steps: healthyHubSteps({ namespace: 'hub-leaky', hubMemoryMi: 1900, durationMs: minutes(12) }),
      durationMs: minutes(12),
    }),
    expect: [
      { alert: 'JupyterHubHubMemoryNearLimit', evalTime: '4m', firing: [] },
      {
        alert: 'JupyterHubHubMemoryNearLimit',
        evalTime: '10m',
        firing: [{ namespace: 'hub-leaky', pod: leakyHubPod }],
      },
    ],
  },
  {
    input: () => ({ name: 'healthy', steps: healthyHubSteps({ durationMs: minutes(30) }), durationMs: minutes(30) }),
    expect: ['5m', '15m', '29m'].flatMap((evalTime) => alerts.map((alert) => ({ alert, evalTime, firing: [] }))),
  },
];

const sixClass = (): ScenarioInput => ({
  name: 'class-start-jupyterhub-6',
  steps: classStartSteps({ durationMs: minutes(8), jupyterhubVersion: '6.0.0' }),
  durationMs: minutes(8),
});

async function promtool(args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(promtoolBinary, args, { maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('prometheus: the alert rule pack', () => {
  const dir = useTempDir('hubops-rules-');

  const writePack = (options: RulePackOptions, name: string) => {
    const pack = rulePack(options);
    const file = join(dir(), `${name}.rules.yml`);
    writeFileSync(file, rulesFileYaml(pack));
    return { pack, file };
  };

  async function testRules(rulesFile: string, tests: unknown[]) {
    const file = join(dir(), 'tests.yml');
    writeFileSync(file, ruleTestFile(rulesFile, tests));
    return promtool(['test', 'rules', file]);
  }

  it('passes promtool check rules, for 5.x, 6 and unknown versions, and as a PrometheusRule', async () => {
    for (const [name, version] of [
      ['five', '5.3.0'],
      ['six', '6.0.0'],
      ['any', undefined],
    ] as const) {
      const { file } = writePack({ namespaces: hubs, ...(version ? { jupyterhubVersion: version } : {}) }, name);
      const checked = await promtool(['check', 'rules', file]);
      assert.ok(checked.ok, checked.output);
      assert.match(checked.output, /SUCCESS: 7 rules found/);
    }
    const object = load(
      prometheusRuleYaml(rulePack({ namespaces: ['hub-physics'] }), {
        namespace: 'monitoring',
        labels: { release: 'kube-prometheus-stack' },
      }),
    ) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string; namespace: string; labels: Record<string, string> };
      spec: unknown;
    };
    assert.equal(object.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(object.kind, 'PrometheusRule');
    assert.deepEqual(object.metadata, {
      name: 'jupyterhub-ops-hubs',
      namespace: 'monitoring',
      labels: { 'app.kubernetes.io/name': 'jupyterhub-ops', release: 'kube-prometheus-stack' },
    });
    const spec = join(dir(), 'spec.yml');
    writeFileSync(spec, JSON.stringify(object.spec));
    const checked = await promtool(['check', 'rules', spec]);
    assert.ok(checked.ok, checked.output);
  });

  it('fills in only the chosen hubs, names quoted so a name cannot become PromQL', async () => {
    const hostile = 'hub"}) or vector(1) #';
    const { pack, file } = writePack({ namespaces: ['hub-a', hostile] }, 'hostile');
    const checked = await promtool(['check', 'rules', file]);
    assert.ok(checked.ok, checked.output);
    assert.match(checked.output, /SUCCESS: 7 rules found/);
    for (const rule of pack.rules) assert.match(rule.expr, /namespace=~"hub-a\|hub\\"/, rule.alert);
    assert.throws(() => rulePack({ namespaces: [' '] }), /at least one hub namespace/);
  });

  it('promtool test rules: each rule fires on its scenario and stays quiet on the healthy hub', async function () {
    this.timeout(120_000);
    const { pack, file } = writePack({ namespaces: hubs }, 'any');
    const tests = [];
    for (const s of scenarios) tests.push(await ruleTest(pack, s.input(), s.expect));
    tests.push(
      await ruleTest(pack, sixClass(), [
        { alert: 'JupyterHubSpawnsThrottled', evalTime: '5m', firing: [{ namespace: 'hub-classroom' }] },
      ]),
    );
    const result = await testRules(file, tests);
    assert.ok(result.ok, result.output.slice(-3000));
    assert.match(result.output, /SUCCESS/);
    // Every rule has a scenario it fires on.
    const fired = new Set(scenarios.flatMap((s) => s.expect.filter((e) => e.firing.length > 0).map((e) => e.alert)));
    assert.deepEqual([...fired].sort(), [...alerts].sort());
  });

  it('is version-aware: a 6 pack sees JupyterHub 6’s throttling, and misses 5.3’s that answered no 429', async function () {
    this.timeout(60_000);
    const six = writePack({ namespaces: ['hub-classroom'], jupyterhubVersion: '6.0.0' }, 'six');
    const onSix = await testRules(six.file, [
      await ruleTest(six.pack, sixClass(), [
        { alert: 'JupyterHubSpawnsThrottled', evalTime: '5m', firing: [{ namespace: 'hub-classroom' }] },
      ]),
    ]);
    assert.ok(onSix.ok, onSix.output.slice(-2000));
    const five = writePack({ namespaces: ['hub-classroom'], jupyterhubVersion: '5.3.0' }, 'five');
    const fiveClass = {
      name: 'class-start',
      steps: classStartSteps({ durationMs: minutes(6) }),
      durationMs: minutes(6),
    };
    const onFive = await testRules(five.file, [
      await ruleTest(five.pack, fiveClass, [
        { alert: 'JupyterHubSpawnsThrottled', evalTime: '5m', firing: [{ namespace: 'hub-classroom' }] },
      ]),
    ]);
    assert.ok(onFive.ok, onFive.output.slice(-2000));
    const sixOnFive = await testRules(six.file, [
      await ruleTest(six.pack, fiveClass, [{ alert: 'JupyterHubSpawnsThrottled', evalTime: '5m', firing: [] }]),
    ]);
    assert.ok(sixOnFive.ok, 'JupyterHub 6 labels do not match a 5.3 hub, which sent no 429 either');
  });

  it('the promtool tests can fail: a threshold no class reaches leaves the throttling rule quiet', async function () {
    this.timeout(60_000);
    const { pack, file } = writePack(
      { namespaces: ['hub-classroom'], thresholds: { throttledPer5m: 1_000_000 } },
      'high',
    );
    const result = await testRules(file, [
      await ruleTest(pack, scenarios[1]!.input(), scenarios[1]!.expect.slice(0, 1)),
    ]);
    assert.ok(!result.ok);
    assert.match(result.output, /FAILED/);
    assert.match(result.output, /JupyterHubSpawnsThrottled/);
  });
});

describe('prometheus: replaying the rules against an incident', () => {
  const histories = usePrometheusHistories();
  const pack = rulePack({ namespaces: ['hub-physics', 'hub-staff'] });
  const replay = async (
    packToReplay: RulePack,
    fromMs: number,
    toMs: number,
    noticedMs: number | null,
  ): Promise<Replay> => {
    const found = await connectUrl(histories().prometheus.url);
    assert.ok(found.ok);
    const replayed = await replayRules(found.value.client, packToReplay, { fromMs, toMs }, noticedMs);
    assert.ok(replayed.ok, replayed.ok ? '' : replayed.error.message);
    return replayed.value;
  };
  const rule = (r: Replay, alert: string) => r.rules.find((x) => x.alert === alert)!;

  it('says the hub-restart rules would have fired at the first kill, four hours before anyone looked', async () => {
    const noticed = incidentNight.start.getTime() + 4 * 3600_000;
    const r = await replay(pack, noticed - 6 * 3600_000, noticed, noticed);
    const oom = rule(r, 'JupyterHubHubOOMKilled');
    assert.equal(new Date(oom.firstFiringMs!).toISOString(), '2026-11-23T01:02:00.000Z');
    assert.equal(oom.labels.namespace, 'hub-physics');
    assert.equal(oom.leadMs, Date.parse('2026-11-23T01:02:00Z') - noticed);
    assert.equal(rule(r, 'JupyterHubHubRestarted').firstFiringMs, oom.firstFiringMs);
    assert.equal(rule(r, 'JupyterHubHubMemoryNearLimit').firstFiringMs, null, 'never 5 minutes above 90 %');
    assert.equal(rule(r, 'JupyterHubSpawnsThrottled').firstFiringMs, null);
    assert.ok(r.rules.every((x) => x.problem === undefined));
  });

  it('respects for: the leaky hub fires five minutes after it first answers above 90 %', async () => {
    const leaky = rulePack({ namespaces: ['hub-leaky'] });
    const start = leakyHub.start.getTime();
    const r = await replay(leaky, start, start + 25 * 60_000, null);
    const memory = rule(r, 'JupyterHubHubMemoryNearLimit');
    const firstAbove = start + 60_000; // the first point with a sample
    assert.equal(memory.firstFiringMs, firstAbove + 5 * 60_000);
    assert.equal(memory.leadMs, null);
  });

  it('the class start: throttling at once, pods Pending over 10 minutes later', async () => {
    const start = classStart.start.getTime();
    const r = await replay(
      rulePack({ namespaces: ['hub-classroom'], jupyterhubVersion: '5.3.0' }),
      start,
      start + 30 * 60_000,
      start + 20 * 60_000,
    );
    const throttled = rule(r, 'JupyterHubSpawnsThrottled').firstFiringMs!;
    const pending = rule(r, 'JupyterHubUserPodsPending').firstFiringMs!;
    assert.ok(throttled >= start + 60_000 && throttled <= start + 3 * 60_000, new Date(throttled).toISOString());
    assert.ok(pending >= start + 11 * 60_000 && pending <= start + 13 * 60_000, new Date(pending).toISOString());
  });

  it('a hostile hub name stays a label value in the real engine (no injected series)', async () => {
    const hostile = rulePack({ namespaces: ['hub"}) or vector(1) #'] });
    const r = await replay(hostile, incidentNight.start.getTime(), incidentNight.start.getTime() + 3600_000, null);
    assert.ok(r.rules.every((x) => x.problem === undefined && x.firstFiringMs === null));
  });

  it('stays quiet on the healthy hub all night', async () => {
    const r = await replay(
      rulePack({ namespaces: ['hub-staff'] }),
      incidentNight.start.getTime(),
      incidentNight.start.getTime() + 5 * 3600_000,
      null,
    );
    assert.deepEqual(
      r.rules.filter((x) => x.firstFiringMs !== null).map((x) => x.alert),
      [],
    );
  });
});
