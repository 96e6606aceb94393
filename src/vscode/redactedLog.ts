import { redactingLog } from '../core/secrets';
import { inertText } from '../shared/untrustedText';

/**
 * The extension's log as features see it, with VS Code's levels. Code that also runs without VS Code
 * (unit tests, workers) takes this interface and gets a plain object there.
 */
export interface Log {
  debug(line: string): void;
  info(line: string): void;
  warn(line: string): void;
  /** A line, or an error with its stack. */
  error(error: string | Error): void;
}

/**
 * A log whose every line goes through the core's secret detector, then becomes one inert line, before
 * `write` sees it: lines carry error messages, file and pod names, and text out of journals and hub
 * databases, and none of it may add a line or carry ESC or bidi controls. No `vscode` import.
 */
export function redactedLog(write: (level: 'debug' | 'info' | 'warn' | 'error', line: string) => void): Log {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') =>
    redactingLog((line) => write(level, inertText(line, 'line')));
  const error = at('error');
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: (e) => error(typeof e === 'string' ? e : (e.stack ?? e.message)),
  };
}
