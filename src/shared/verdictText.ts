/**
 * The start-up analyzer's verdict in the words the operator reads, wherever it is shown: the explorer's
 * Analysis tab and the incident report. Browser-safe, no imports.
 */
export const verdictText = {
  fits: 'Fits',
  tight: 'Tight',
  oom: 'Will be OOMKilled',
  unknown: 'No memory limit to compare with',
} as const satisfies Record<'fits' | 'tight' | 'oom' | 'unknown', string>;
