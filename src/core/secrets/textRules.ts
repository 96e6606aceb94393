/**
 * The JupyterHub-specific rules: secrets as they appear around a hub, recognised by their context
 * (`JUPYTERHUB_API_TOKEN=…`, `cookie_secret: …`, `--NotebookApp.token=…`, `postgres://jhub:…@db`,
 * `Authorization: token …`) or by the shapes JupyterHub gives them (32-hex API tokens, 64-hex proxy
 * tokens and cookie secrets, `sha512:rounds:salt:hash`). Token formats of other services (GitHub, AWS,
 * Slack, …) come from the kept pattern source (patternSource.ts), not from here.
 */
import { REDACTED } from './marker';
import { SECRET_WORD_SOURCE } from './names';

type Replace = string | ((match: string, ...groups: string[]) => string);
type Rule = readonly [RegExp, Replace];

/** A name's characters; a backslash only as Markdown's escape of `_` or `-` (`JUPYTERHUB\_API\_TOKEN`). */
const NAME_CHAR = String.raw`(?:[A-Za-z0-9_.-]|\\(?=[_-]))`;
/** A whole name (variable, key, flag, setting) containing a secret word, e.g. `c.JupyterHub.cookie_secret`. */
const SECRET_NAME = String.raw`(?<![A-Za-z0-9_.\\-])${NAME_CHAR}*?(?:${SECRET_WORD_SOURCE})${NAME_CHAR}*`;

const rules: Rule[] = [
  // PEM private keys (a pasted kubeconfig or hub secret), whole or cut off.
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    REDACTED,
  ],
  // Base64 of "-----BEGIN": kubeconfig client-key-data and certificate data on their own.
  [/LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g, REDACTED],
  // Authorization headers keep their scheme: "Authorization: token ‹redacted›".
  [
    /\b(authorization)(\\?["']?\s*[:=]\s*\\?["']?)(?:(bearer|token|basic|digest)\s+)?(?!‹|(?:bearer|token|basic|digest)\s+‹)[^\s"',;\\]+/gi,
    (_m, name, sep, scheme) => `${name}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  ],
  [
    /\b(bearer|token)\s+(?=[A-Za-z0-9\-._~+/]*[0-9])(?=[A-Za-z0-9\-._~+/]{16})[A-Za-z0-9\-._~+/]+=*/gi,
    `$1 ${REDACTED}`,
  ],
  // Cookie headers: keep the cookie names, drop the values.
  [
    /\b((?:set-)?cookie)(\s*:\s*)([^\r\n]*)/gi,
    (_m, name, sep, value) => `${name}${sep}${value.replace(/([^=;\s]+)=(?!‹)([^;]*)/g, `$1=${REDACTED}`)}`,
  ],
  // JupyterHub's own cookies and OAuth state wherever they appear bare.
  [/\b(jupyterhub-[a-z0-9-]+|_xsrf|oauth2?[-_][a-z_-]+)=(?!‹)[^;\s&"']+/gi, `$1=${REDACTED}`],
  // Credentials in URL queries (the names that are not secret-looking on their own).
  [/([?&](?:code|state|_xsrf|sig|signature|key)=)(?!‹)[^&#\s"']+/gi, `$1${REDACTED}`],
  // Passwords in URLs: postgres://jhub:‹redacted›@db, https://user:‹redacted›@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'<>]*:)(?!‹)[^\s/?#@"'<>]+(?=@)/gi, `$1${REDACTED}`],
  // Escaped JSON inside text: \"password\": \"…\" (any depth of backslashes).
  [
    new RegExp(String.raw`(?<!\\)(\\+)"(${SECRET_NAME})\1"(\s*:\s*)\1"(?:(?!\1").)*\1"`, 'gi'),
    (_m, slashes, name, sep) => `${slashes}"${name}${slashes}"${sep}${slashes}"${REDACTED}${slashes}"`,
  ],
  // name=value, name: value, "name": "value", name => 'value', name = b'value', name: {…}.
  [
    new RegExp(
      String.raw`(["']?)(${SECRET_NAME})\1(\s*(?:[:=]|=>)\s*)(?!‹|(?:bearer|token|basic|digest)\s+‹)("(?:[^"\\]|\\.)*"|b?'[^']*'|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|[^\s,;&"'}\]|]+)`,
      'gi',
    ),
    (_m, quote, name, sep, value) => {
      const q = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : value.startsWith("b'") ? "'" : '';
      return `${quote}${name}${quote}${sep}${q}${REDACTED}${q}`;
    },
  ],
  // Flags given their value after a space: --api-token abc, --NotebookApp.token "abc".
  [
    new RegExp(
      String.raw`(?<![\w.-])(--?${NAME_CHAR}*?(?:${SECRET_WORD_SOURCE})${NAME_CHAR}*)(\s+)(?![-‹])("[^"]*"|'[^']*'|[^\s"']+)`,
      'gi',
    ),
    (_m, flag, space, value) => {
      const q = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      return `${flag}${space}${q}${REDACTED}${q}`;
    },
  ],
  // Slack's legacy workspace tokens (xoxs-…), which the preset's Slack rule does not list.
  [/\bxox[a-z]-[A-Za-z0-9-]{10,}/g, REDACTED],
  // JWTs (Kubernetes service-account tokens, OIDC id tokens).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // JupyterHub's hashed tokens and passwords: algorithm:rounds:salt:hash.
  [/\b(?:sha256|sha512|pbkdf2[\w-]*):\d+:[A-Za-z0-9+/=._-]+:[A-Za-z0-9+/=]+/gi, REDACTED],
  // Hex secrets: API tokens (32), proxy tokens, cookie secrets and crypt keys (64), any case. A
  // 40-character run is a git commit (image tags) and a digest after `sha256:` is an image's: both stay.
  [
    /(?<![A-Za-z0-9+/_-])(?<!(?:sha1|sha256|sha512|md5):)[0-9a-fA-F]{32,}(?![A-Za-z0-9+/_-])/g,
    (hex) => (hex.length === 40 || !/[0-9]/.test(hex) || !/[a-f]/i.test(hex) ? hex : REDACTED),
  ],
];

/** The JupyterHub rules over one text (no JSON parsing: see index.ts). */
export function redactByRules(text: string): string {
  let out = text;
  for (const [pattern, replacement] of rules) {
    pattern.lastIndex = 0;
    out =
      typeof replacement === 'string'
        ? out.replace(pattern, replacement)
        : out.replace(pattern, (...args: unknown[]) => {
            // replace() passes (match, ...groups, offset, input): a group that did not take part is ''.
            const [match, ...groups] = args.slice(0, -2).map((a) => (typeof a === 'string' ? a : ''));
            return replacement(match!, ...groups);
          });
  }
  return out;
}
