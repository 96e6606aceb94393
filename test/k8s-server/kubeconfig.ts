/** kubeconfig YAML pointing at the test server, in kubectl's shape (client-node and kubectl parse it). */
export interface KubeconfigOptions {
  /** Context name (also the cluster and user names). Default 'hubops-test'. */
  context?: string;
  /** Bearer token; default the server's first token. */
  token?: string;
  /** The context's default namespace. */
  namespace?: string;
}

const quote = (s: string) => JSON.stringify(s); // JSON strings are valid YAML scalars

export function kubeconfigYaml(
  server: string,
  caData: string | undefined,
  contexts: (KubeconfigOptions & { token: string })[],
): string {
  const names = contexts.map((c) => c.context ?? 'hubops-test');
  const lines = ['apiVersion: v1', 'kind: Config', 'preferences: {}', 'clusters:'];
  contexts.forEach((_c, i) => {
    lines.push(`- name: ${quote(names[i]!)}`, '  cluster:', `    server: ${quote(server)}`);
    if (caData) lines.push(`    certificate-authority-data: ${caData}`);
  });
  lines.push('users:');
  contexts.forEach((c, i) => lines.push(`- name: ${quote(names[i]!)}`, '  user:', `    token: ${quote(c.token)}`));
  lines.push('contexts:');
  contexts.forEach((c, i) => {
    lines.push(
      `- name: ${quote(names[i]!)}`,
      '  context:',
      `    cluster: ${quote(names[i]!)}`,
      `    user: ${quote(names[i]!)}`,
    );
    if (c.namespace) lines.push(`    namespace: ${quote(c.namespace)}`);
  });
  lines.push(`current-context: ${quote(names[0]!)}`);
  return lines.join('\n') + '\n';
}
