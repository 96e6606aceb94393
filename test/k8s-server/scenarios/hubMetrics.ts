/**
 * Prometheus text of a JupyterHub hub's /hub/metrics (metric names from JupyterHub's metrics.py, as the
 * z2jh docs list them). The version decides two things: JupyterHub 6 labels spawns `{status, reason}`
 * (status success, failure for a rejection, error for an unhandled failure) where 5.x has `{status}`
 * alone; and before 5.4.0 a throttled spawn requested by GET answered 200, so its 429 never reached
 * `request_duration` (the spawn counter still counted it).
 */
export interface HubMetricsState {
  /** JupyterHub version the text is written as (default: 5.x labels, throttled spawns answered 429). */
  jupyterhubVersion?: string;
  /** Unix seconds the hub process started (`process_start_time_seconds`, from prometheus_client). */
  processStartSeconds?: number;
  runningServers: number;
  totalUsers: number;
  activeUsers?: number;
  spawns: {
    success: number;
    failure: number;
    throttled: number;
    'already-pending'?: number;
    'too-many-users'?: number;
  };
  /** 429 responses of the spawn page. */
  requests429?: number;
  requests200?: number;
  initSpawnersSeconds?: number;
  startupSeconds?: number;
}

const buckets = [
  '0.5',
  '1.0',
  '2.5',
  '5.0',
  '10.0',
  '15.0',
  '30.0',
  '60.0',
  '120.0',
  '180.0',
  '300.0',
  '600.0',
  '+Inf',
];

const versionOf = (v: string | undefined) => {
  const [major = 5, minor = 0] = (v ?? '5').split('.').map(Number);
  return { major, minor };
};

/** The spawn series' labels for a 5.x status, as the version writes them. */
function spawnLabels(status: string, version: { major: number }): string {
  if (version.major < 6) return `status="${status}"`;
  if (status === 'success') return 'reason="",status="success"';
  if (status === 'failure') return 'reason="",status="error"';
  return `reason="${status}",status="failure"`;
}

export function hubMetricsText(m: HubMetricsState): string {
  const lines: string[] = [];
  const version = versionOf(m.jupyterhubVersion);
  lines.push('# HELP jupyterhub_server_spawn_duration_seconds Time taken for server spawning operation');
  lines.push('# TYPE jupyterhub_server_spawn_duration_seconds histogram');
  const statuses = ['success', 'failure', 'already-pending', 'throttled', 'too-many-users'] as const;
  for (const status of statuses) {
    const count = m.spawns[status] ?? 0;
    const labels = spawnLabels(status, version);
    // Throttled and already-pending spawns return at once; successes take tens of seconds.
    const fast = status !== 'success';
    for (const le of buckets) {
      const inBucket = le === '+Inf' || fast || Number(le) >= 30 ? count : 0;
      lines.push(`jupyterhub_server_spawn_duration_seconds_bucket{le="${le}",${labels}} ${inBucket.toFixed(1)}`);
    }
    lines.push(`jupyterhub_server_spawn_duration_seconds_count{${labels}} ${count.toFixed(1)}`);
    lines.push(
      `jupyterhub_server_spawn_duration_seconds_sum{${labels}} ${(fast ? count * 0.004 : count * 24.2).toFixed(3)}`,
    );
  }
  lines.push('# HELP jupyterhub_request_duration_seconds Request duration for all HTTP requests');
  lines.push('# TYPE jupyterhub_request_duration_seconds histogram');
  // Before 5.4.0 the spawn page answered a throttled GET with 200 (an error page), not 429.
  const throttledAs429 = m.jupyterhubVersion === undefined || version.major > 5 || version.minor >= 4;
  const throttled = m.requests429 ?? m.spawns.throttled;
  const requests: [string, string, number][] = [
    [
      '200',
      'jupyterhub.handlers.pages.SpawnHandler',
      (m.requests200 ?? m.spawns.success) + (throttledAs429 ? 0 : throttled),
    ],
    ['429', 'jupyterhub.handlers.pages.SpawnHandler', throttledAs429 ? throttled : 0],
  ];
  for (const [code, handler, count] of requests) {
    lines.push(
      `jupyterhub_request_duration_seconds_count{code="${code}",handler="${handler}",method="GET"} ${count.toFixed(1)}`,
    );
    lines.push(
      `jupyterhub_request_duration_seconds_sum{code="${code}",handler="${handler}",method="GET"} ${(count * 0.021).toFixed(3)}`,
    );
  }
  lines.push('# HELP jupyterhub_running_servers the number of user servers currently running');
  lines.push('# TYPE jupyterhub_running_servers gauge');
  lines.push(`jupyterhub_running_servers ${m.runningServers.toFixed(1)}`);
  lines.push('# HELP jupyterhub_total_users total number of users');
  lines.push('# TYPE jupyterhub_total_users gauge');
  lines.push(`jupyterhub_total_users ${m.totalUsers.toFixed(1)}`);
  lines.push('# HELP jupyterhub_active_users number of users who were active in the given time period');
  lines.push('# TYPE jupyterhub_active_users gauge');
  for (const period of ['24h', '7d', '30d'])
    lines.push(`jupyterhub_active_users{period="${period}"} ${(m.activeUsers ?? m.totalUsers).toFixed(1)}`);
  lines.push('# HELP jupyterhub_init_spawners_duration_seconds Time taken for spawners to initialize');
  lines.push('# TYPE jupyterhub_init_spawners_duration_seconds histogram');
  lines.push(`jupyterhub_init_spawners_duration_seconds_count 1.0`);
  lines.push(`jupyterhub_init_spawners_duration_seconds_sum ${(m.initSpawnersSeconds ?? 0.41).toFixed(3)}`);
  lines.push('# HELP jupyterhub_hub_startup_duration_seconds Time taken for Hub to start');
  lines.push('# TYPE jupyterhub_hub_startup_duration_seconds histogram');
  lines.push(`jupyterhub_hub_startup_duration_seconds_count 1.0`);
  lines.push(`jupyterhub_hub_startup_duration_seconds_sum ${(m.startupSeconds ?? 3.2).toFixed(3)}`);
  if (m.processStartSeconds !== undefined) {
    lines.push('# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.');
    lines.push('# TYPE process_start_time_seconds gauge');
    lines.push(`process_start_time_seconds ${m.processStartSeconds.toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}
