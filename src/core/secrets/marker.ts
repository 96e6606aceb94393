/**
 * What every surface shows instead of a secret: the explorer grid and its exports, `hubops analyze`,
 * reports, the webviews and the log. A leaf module with no imports, so the webview protocols can share it.
 */
export const REDACTED = '‹redacted›';
