/**
 * Runs the real `kubectl` against a test server (asynchronously: the server lives in this process).
 * HOME points at a temp dir so kubectl's discovery cache never touches the real home.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestServer } from './server';
import type { KubeconfigOptions } from './kubeconfig';

export interface KubectlResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export async function kubectl(
  server: TestServer,
  args: string[],
  options: KubeconfigOptions = {},
): Promise<KubectlResult> {
  const home = mkdtempSync(join(tmpdir(), 'hubops-kubectl-'));
  try {
    const kubeconfig = server.writeKubeconfig(join(home, 'kubeconfig'), options);
    return await new Promise((resolve) => {
      execFile(
        'kubectl',
        args,
        {
          env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig },
          encoding: 'buffer',
          maxBuffer: 512 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr: stderr.toString('utf8') });
        },
      );
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
