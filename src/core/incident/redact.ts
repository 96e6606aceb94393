/**
 * Reports get pasted into public issues: every string that reaches one goes through `redactSecrets`, and
 * every string that came from the cluster, the hub or a note goes through `escapeMarkdown` so a hostile
 * pod or user name renders as literal text instead of links, HTML or table breakage.
 */

export const redacted = '‹redacted›';

/** Names whose value is a secret wherever they appear as `name: value`, `name=value` or `"name": "value"`. */
const secretNames = [
  'token',
  'access_token',
  'access-token',
  'refresh_token',
  'refresh-token',
  'id_token',
  'id-token',
  'api_token',
  'api_key',
  'apikey',
  'client-key-data',
  'client-certificate-data',
  'client_secret',
  'secret',
  'password',
  'encrypted_auth_state',
  'auth_state',
  'hashed',
  'cookie_id',
];

const namePattern = secretNames.map((n) => n.replace(/[-_]/g, '\\\\?[-_]')).join('|');
// name (optionally quoted, optionally Markdown-escaped), a separator, then a quoted string, a {…} object
// (auth_state dicts) or a bare value.
const keyValue = new RegExp(
  `(["']?)\\b(${namePattern})\\1(\\s*[:=]\\s*)("(?:[^"\\\\]|\\\\.)*"|'[^']*'|\\{[^{}]*(?:\\{[^{}]*\\}[^{}]*)*\\}|b?'[^']*'|[^\\s,;&"'}\\]]+)`,
  'gi',
);

type Rule = [RegExp, string | ((...groups: string[]) => string)];

const rules: Rule[] = [
  // PEM private keys (a pasted kubeconfig or hub secret).
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, redacted],
  // Base64 of "-----BEGIN" is how client-key-data and certificate data look on their own.
  [/LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g, redacted],
  // Authorization headers keep their scheme: "Authorization: token ‹redacted›".
  [
    /\b(authorization)(\\?["']?\s*[:=]\s*["']?)(?:(bearer|token|basic)\s+)?[^\s"',;]+/gi,
    (_m, name, sep, scheme) => `${name}${sep}${scheme ? `${scheme} ` : ''}${redacted}`,
  ],
  [/\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${redacted}`],
  // Cookie headers: keep the cookie names, drop the values.
  [
    /\b((?:set-)?cookie)(\s*:\s*)([^\r\n]*)/gi,
    (_m, name, sep, value) => `${name}${sep}${value.replace(/([^=;\s]+)=([^;]*)/g, `$1=${redacted}`)}`,
  ],
  // JupyterHub's own cookies and OAuth state wherever they appear bare.
  [/\b(jupyterhub-[a-z0-9-]+|_xsrf|oauth2?[-_][a-z_-]+)=(?!‹)[^;\s&"']+/gi, `$1=${redacted}`],
  // Credentials in URLs: ?token=…, &code=…, &state=….
  [/([?&](?:token|access_token|id_token|refresh_token|code|state|_xsrf|api_key|apikey)=)[^&#\s"']+/gi, `$1${redacted}`],
  [
    keyValue,
    (_m, quote, name, sep, value) => {
      const q = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      return `${quote}${name}${quote}${sep}${q}${redacted}${q}`;
    },
  ],
  // JWTs (Kubernetes service-account tokens, OIDC id tokens).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, redacted],
  // JupyterHub's hashed tokens and passwords: algorithm:rounds:salt:hash.
  [/\b(?:sha256|sha512|pbkdf2[\w-]*):\d+:[A-Za-z0-9+/=._-]+:[A-Za-z0-9+/=]+/gi, redacted],
  // JupyterHub API tokens are 32 lowercase hex characters, with or without "token" before them.
  [/\b[a-f0-9]{32}\b/g, redacted],
];

/** Replaces secrets with ‹redacted›. Idempotent: redacting twice changes nothing more. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of rules) {
    out =
      typeof replacement === 'string'
        ? out.replace(pattern, replacement)
        : out.replace(pattern, (...args: unknown[]) => replacement(...(args.slice(0, -2) as string[])));
  }
  return out;
}

/**
 * Makes untrusted text render literally inside a Markdown paragraph, list item or table cell: HTML
 * becomes entities, Markdown punctuation is backslash-escaped, line breaks become spaces (a newline in a
 * pod event must not start a heading or end a table row).
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\r\n\u2028\u2029]+/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]{}#|~!]/g, '\\$&')
      // GFM turns bare URLs, www. names and e-mail addresses into links: an escape keeps them text.
      .replace(/:\/\//g, '\\://')
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`)
      .replace(/@/g, '\\@')
      // Only a marker followed by a space starts a list: "- x", "1. x"; "5.3.0" and "-n" stay as they are.
      .replace(/^(\s*)([-+])(?=\s|$)/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2')
  );
}

/** Redact, then escape: the one call for a string from the journal going into Markdown. */
export function safeText(text: string): string {
  return escapeMarkdown(redactSecrets(text));
}
