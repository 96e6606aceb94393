import { redactedLog, type Log } from '../../src/vscode/redactedLog';

/**
 * A Log for tests that run without VS Code, redacting as the extension's log does: every line (errors
 * as their stack) is kept in `lines`.
 */
export function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return { ...redactedLog((_level, line) => void lines.push(line)), lines };
}
