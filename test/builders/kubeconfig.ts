/** Builds kubeconfig YAML for tests (kubectl's shape; client-node parses it for real). */
export interface TestContext {
  name: string;
  server?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  token?: string;
  caData?: string;
}

export function kubeconfigYaml(contexts: TestContext[], currentContext?: string): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const c of contexts) {
    lines.push(`- name: ${c.cluster ?? c.name}`, '  cluster:', `    server: ${c.server ?? 'https://127.0.0.1:6443'}`);
    if (c.caData) lines.push(`    certificate-authority-data: ${c.caData}`);
  }
  lines.push('users:');
  for (const c of contexts)
    lines.push(`- name: ${c.user ?? c.name}`, '  user:', `    token: ${c.token ?? 'test-token'}`);
  lines.push('contexts:');
  for (const c of contexts) {
    lines.push(
      `- name: ${c.name}`,
      '  context:',
      `    cluster: ${c.cluster ?? c.name}`,
      `    user: ${c.user ?? c.name}`,
    );
    if (c.namespace) lines.push(`    namespace: ${c.namespace}`);
  }
  if (currentContext) lines.push(`current-context: ${currentContext}`);
  return lines.join('\n') + '\n';
}
