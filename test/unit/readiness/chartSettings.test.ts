import assert from 'node:assert/strict';
import { dumpYaml } from '@kubernetes/client-node';
import {
  byteSpecification,
  cpuSpecification,
  findProfile,
  parseChartSettings,
} from '../../../src/core/readiness/chartSettings';
import { hubValues, hubValuesYaml } from '../../k8s-server/hubValues';

const GiB = 2 ** 30;

describe('readiness: chart settings from values.yaml', () => {
  it('JupyterHub byte specifications are binary (1G = 2^30); Kubernetes forms are taken too', () => {
    assert.equal(byteSpecification('1G'), GiB);
    assert.equal(byteSpecification('512M'), 512 * 2 ** 20);
    assert.equal(byteSpecification('1.5G'), 1.5 * GiB);
    assert.equal(byteSpecification(1073741824), GiB);
    assert.equal(byteSpecification('2Gi'), 2 * GiB);
    assert.equal(byteSpecification(null), null);
    assert.equal(byteSpecification('lots'), undefined);
    assert.equal(cpuSpecification(0.5), 0.5);
    assert.equal(cpuSpecification('500m'), 0.5);
    assert.equal(cpuSpecification('two'), undefined);
  });

  it('reads the chart’s rendering: limits, guarantees, placeholders, the start timeout', () => {
    const s = parseChartSettings(hubValuesYaml({ namespace: 'hub-a' }, { concurrentSpawnLimit: 40 }), 'Secret hub');
    assert.equal(s.status, 'read');
    if (s.status !== 'read') return;
    assert.deepEqual(s.spawnConfig, {
      status: 'read',
      from: 'Secret hub',
      concurrentSpawnLimit: 40,
      baseUrl: '/',
      chart: '4.2.0',
    });
    assert.equal(s.spawnLimitKey, 'hub.concurrentSpawnLimit');
    assert.deepEqual(s.memGuarantee, { value: GiB, key: 'singleuser.memory.guarantee' });
    assert.deepEqual(s.memLimit, { value: null, key: 'singleuser.memory.limit' });
    assert.deepEqual(s.placeholderReplicas, { value: 6, key: 'scheduling.userPlaceholder.replicas' });
    assert.deepEqual(s.allowNamedServers, { value: true, key: 'hub.allowNamedServers' });
    assert.equal(s.activeServerLimit, null, 'null in the chart: no limit');
    assert.equal(s.startTimeoutSeconds, null, 'not in the abridged rendering: the default applies');
    assert.deepEqual(s.problems, []);
  });

  it('hub.config traits win over the chart’s keys, as in the hub’s own config loading', () => {
    const values = hubValues(
      { namespace: 'hub-a' },
      {
        hubConfig: {
          JupyterHub: { concurrent_spawn_limit: 10, active_server_limit: 200, named_server_limit_per_user: 3 },
          KubeSpawner: { mem_guarantee: '2G', start_timeout: 900 },
        },
      },
    );
    const s = parseChartSettings(dumpYaml(values), 'Secret hub');
    assert.ok(s.status === 'read');
    assert.equal(s.spawnConfig.status === 'read' && s.spawnConfig.concurrentSpawnLimit, 10);
    assert.equal(s.spawnLimitKey, 'hub.config.JupyterHub.concurrent_spawn_limit');
    assert.deepEqual(s.activeServerLimit, { value: 200, key: 'hub.config.JupyterHub.active_server_limit' });
    assert.deepEqual(s.namedServerLimitPerUser, { value: 3, key: 'hub.config.JupyterHub.named_server_limit_per_user' });
    assert.deepEqual(s.memGuarantee, { value: 2 * GiB, key: 'hub.config.KubeSpawner.mem_guarantee' });
    assert.deepEqual(s.startTimeoutSeconds, { value: 900, key: 'hub.config.KubeSpawner.start_timeout' });
  });

  it('settings it does not understand are named (by key, never by value) and skipped', () => {
    const text = dumpYaml({ hub: { activeServerLimit: 'many' }, singleuser: { memory: { guarantee: { a: 1 } } } });
    const s = parseChartSettings(text, 'Secret hub');
    assert.ok(s.status === 'read');
    assert.deepEqual(s.problems, [
      'hub.activeServerLimit in Secret hub is not understood',
      'singleuser.memory.guarantee in Secret hub is not understood',
    ]);
    assert.equal(s.activeServerLimit, null);
  });

  it('not YAML, or not a mapping: unreadable with the position, no value quoted', () => {
    const s = parseChartSettings('hub: [unclosed\n  secret: hunter2', 'Secret hub');
    assert.equal(s.status, 'unreadable');
    assert.ok(s.status === 'unreadable' && s.reason.startsWith('values.yaml in Secret hub is not valid YAML ('));
    assert.ok(s.status === 'unreadable' && !s.reason.includes('hunter2'));
    assert.deepEqual(parseChartSettings('- a\n- b\n', 'Secret hub'), {
      status: 'unreadable',
      reason: 'values.yaml in Secret hub is not a YAML mapping of chart values',
    });
  });

  it('profiles: overrides with the default choice of each option; found by slug or display name', () => {
    const text = dumpYaml({
      singleuser: {
        profileList: [
          { display_name: 'CPU only' },
          {
            display_name: 'GPU',
            default: true,
            kubespawner_override: { mem_guarantee: '8G', node_selector: { gpu: 'yes' } },
            profile_options: {
              size: {
                choices: {
                  small: { display_name: 'small', kubespawner_override: { cpu_guarantee: 1 } },
                  big: {
                    display_name: 'big',
                    default: true,
                    kubespawner_override: { cpu_guarantee: 4, mem_guarantee: '16G' },
                  },
                },
              },
            },
          },
        ],
      },
    });
    const s = parseChartSettings(text, 'Secret hub');
    assert.ok(s.status === 'read' && s.profiles);
    const [cpu, gpu] = s.profiles.value;
    assert.deepEqual([cpu!.slug, cpu!.memGuarantee], ['cpu-only', undefined]);
    assert.deepEqual(
      [gpu!.slug, gpu!.memGuarantee, gpu!.cpuGuarantee, gpu!.nodeSelector],
      ['gpu', 16 * GiB, 4, { gpu: 'yes' }],
    );
    const byDefault = findProfile(s.profiles.value, undefined);
    assert.ok(byDefault && 'profile' in byDefault);
    assert.equal(byDefault.how, 'profile "GPU" (the default)');
    const bySlug = findProfile(s.profiles.value, 'CPU-ONLY');
    assert.ok(bySlug && 'profile' in bySlug && bySlug.profile.displayName === 'CPU only');
    assert.deepEqual(findProfile([], 'gpu'), { error: 'no profileList in the values: profile "gpu" unknown' });
  });
});
