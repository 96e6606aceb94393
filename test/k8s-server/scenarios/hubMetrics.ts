/** Prometheus text of a JupyterHub 5.x hub's /hub/metrics (metric names from z2jh-facts.md). */
export interface HubMetricsState {
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

export function hubMetricsText(m: HubMetricsState): string {
  const lines: string[] = [];
  lines.push('# HELP jupyterhub_server_spawn_duration_seconds Time taken for server spawning operation');
  lines.push('# TYPE jupyterhub_server_spawn_duration_seconds histogram');
  const statuses = ['success', 'failure', 'already-pending', 'throttled', 'too-many-users'] as const;
  for (const status of statuses) {
    const count = m.spawns[status] ?? 0;
    // Throttled and already-pending spawns return at once; successes take tens of seconds.
    const fast = status !== 'success';
    for (const le of buckets) {
      const inBucket = le === '+Inf' || fast || Number(le) >= 30 ? count : 0;
      lines.push(
        `jupyterhub_server_spawn_duration_seconds_bucket{le="${le}",status="${status}"} ${inBucket.toFixed(1)}`,
      );
    }
    lines.push(`jupyterhub_server_spawn_duration_seconds_count{status="${status}"} ${count.toFixed(1)}`);
    lines.push(
      `jupyterhub_server_spawn_duration_seconds_sum{status="${status}"} ${(fast ? count * 0.004 : count * 24.2).toFixed(3)}`,
    );
  }
  lines.push('# HELP jupyterhub_request_duration_seconds Request duration for all HTTP requests');
  lines.push('# TYPE jupyterhub_request_duration_seconds histogram');
  const requests: [string, string, number][] = [
    ['200', 'jupyterhub.handlers.pages.SpawnHandler', m.requests200 ?? m.spawns.success],
    ['429', 'jupyterhub.handlers.pages.SpawnHandler', m.requests429 ?? m.spawns.throttled],
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
  return lines.join('\n') + '\n';
}
