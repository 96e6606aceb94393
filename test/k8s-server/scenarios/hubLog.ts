/** JupyterHub log lines in the hub's own format, e.g. `[I 2025-06-02 13:00:01.204 JupyterHub app:3354] …`. */
export function hubLogLine(
  level: 'I' | 'W' | 'E' | 'C' | 'D',
  isoTime: string,
  source: string,
  message: string,
): string {
  const t = isoTime.replace('T', ' ').replace('Z', '');
  const ms = t.includes('.') ? t : `${t}.${String(Math.abs(hash(message)) % 1000).padStart(3, '0')}`;
  return `[${level} ${ms} JupyterHub ${source}] ${message}`;
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

/** The first lines a z2jh 4.2.0 hub (JupyterHub 5.3.0, KubeSpawner 7) logs at start-up. */
export function hubStartupLines(iso: (offsetMs?: number) => string, spawners: number): string[] {
  return [
    hubLogLine('I', iso(800), 'app:3354', 'Running JupyterHub version 5.3.0'),
    hubLogLine('I', iso(810), 'app:3384', 'Using Authenticator: oauthenticator.github.GitHubOAuthenticator-17.3.0'),
    hubLogLine('I', iso(810), 'app:3384', 'Using Spawner: kubespawner.spawner.KubeSpawner-7.0.0'),
    hubLogLine('I', iso(811), 'app:3384', 'Using Proxy: jupyterhub.proxy.ConfigurableHTTPProxy-5.3.0'),
    hubLogLine('I', iso(1900), 'app:2022', 'Upgrading sqlite:///jupyterhub.sqlite'),
    hubLogLine('I', iso(2400), 'app:2970', `Initializing spawners (${spawners} in the database)`),
  ];
}
