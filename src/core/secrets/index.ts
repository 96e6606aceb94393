/**
 * The one secret detector. Every place a value from a hub, a cluster or a journal can surface goes
 * through it: the explorer's grid and exports (its working copy is redacted with it), `hubops analyze`
 * text and JSON, report Markdown, the report and explorer webviews' messages, and the log channel.
 *
 * Two sources, combined:
 *  - the JupyterHub rules (names.ts, textRules.ts): secret columns of JupyterHub's schema, keys and
 *    settings named like secrets (`"password": …`, `cookie_secret:`, `JUPYTERHUB_CRYPT_KEY=…`,
 *    `GITHUB_PAT=…`), `--*token=` flags, passwords in URLs, JupyterHub's token and hash shapes;
 *  - secretlint's recommended preset (patternSource.ts) for other services' token formats.
 * JSON is parsed and walked (keys, values, arrays of command-line arguments, JSON encoded inside a JSON
 * string), so a secret is found however deep it is nested.
 *
 * What stays readable: pod and user names, namespaces, DNS names, image tags with 40-character git
 * commits, image digests, dates and numbers (the look-alike corpus in the tests holds this).
 */
import { REDACTED } from './marker';
import { isSecretName } from './names';
import { patternSourceRanges } from './patternSource';
import { redactByRules } from './textRules';

export { REDACTED } from './marker';
export { columnTreatment, isSecretName, jsonColumns, secretColumns, type ColumnTreatment } from './names';

/**
 * What every secret the rules know has somewhere: a run of 16 token characters (every token format,
 * hex and base64 secret, JWT), a secret word (named values, headers, cookies, flags), URL credentials,
 * a PEM header, a JupyterHub hash, or a \u escape (which could spell any of these). A text without any
 * of them is returned untouched without running the rules: most hub values (pod names, dates, KubeSpawner
 * state) are such texts.
 */
const SUSPECT = new RegExp(
  [
    '[A-Za-z0-9+/=]{16}',
    String.raw`:\/\/[^\s/?#@]*@`,
    '-----BEGIN',
    String.raw`(?:sha256|sha512|pbkdf2[\w-]*):\d`,
    String.raw`\\u[0-9a-fA-F]{4}`,
    String.raw`authorization|bearer|cookie|_xsrf|oauth|jupyterhub-[\w-]*=|[?&](?:code|state|sig|signature|key)=`,
    // The secret names (names.ts) in their shortest forms.
    String.raw`token|secret|passw|passphrase|pwd|credential|auth_?state|cookie_?id|hashed|session_?id|key|pat(?![a-z])`,
  ].join('|'),
  'i',
);

/** Where the preset's rules may find something: a long token-character run, URL credentials or a key. */
const PATTERN_SUSPECT = /[A-Za-z0-9+/=]{16}|:\/\/[^\s/?#@]*@|-----BEGIN/;

/** Nesting deeper than this (JSON in JSON in JSON…) is hidden whole rather than walked. */
const MAX_DEPTH = 32;

/**
 * False when `text` certainly holds no secret (then `redactText(text) === text`): the quick test bulk
 * callers use to skip values. Texts joined with newlines pass when any of them would (no pattern spans
 * a line break), so a whole row can be tested at once.
 */
export function mayHoldSecret(text: string): boolean {
  return SUSPECT.test(text);
}

/** A text with every secret in it replaced by ‹redacted›. Idempotent. */
export function redactText(text: string): string {
  return redactAt(text, 0);
}

function redactAt(text: string, depth: number): string {
  if (!SUSPECT.test(text)) return text;
  if (depth > MAX_DEPTH) return REDACTED;
  const json = parseJson(text);
  if (json !== undefined) {
    const walked = walk(json.value, depth + 1);
    return walked.changed ? JSON.stringify(walked.value) : text;
  }
  return redactByPatternSource(redactByRules(text));
}

function parseJson(text: string): { value: unknown } | undefined {
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[' && first !== '"') return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** A flag naming a secret whose value is the next argument: ["--api-token", "abc"]. */
const SECRET_FLAG = /^--?[\w.-]+$/;

function walk(value: unknown, depth: number): { value: unknown; changed: boolean } {
  if (depth > MAX_DEPTH) return { value: REDACTED, changed: true };
  if (typeof value === 'string') {
    const out = redactAt(value, depth);
    return { value: out, changed: out !== value };
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item, i) => {
      const previous = value[i - 1];
      if (
        typeof previous === 'string' &&
        SECRET_FLAG.test(previous) &&
        isSecretName(previous) &&
        item !== null &&
        item !== REDACTED
      ) {
        changed = true;
        return REDACTED;
      }
      const inner = walk(item, depth + 1);
      changed ||= inner.changed;
      return inner.value;
    });
    return { value: out, changed };
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [rawKey, inner] of Object.entries(value)) {
      const key = redactAt(rawKey, depth);
      if (key !== rawKey) changed = true;
      if (isSecretName(rawKey) && inner !== null && inner !== REDACTED) {
        out[key] = REDACTED;
        changed = true;
        continue;
      }
      const walked = walk(inner, depth + 1);
      changed ||= walked.changed;
      out[key] = walked.value;
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

/** Token characters: a reported range is widened to the whole token it falls in. */
const TOKEN_CHAR = /[A-Za-z0-9+/=_-]/;

function redactByPatternSource(text: string): string {
  if (!PATTERN_SUSPECT.test(text)) return text;
  let ranges: (readonly [number, number])[];
  try {
    ranges = patternSourceRanges(text);
  } catch {
    // A rule that fails cannot say what is safe: hide the whole text.
    return REDACTED;
  }
  if (ranges.length === 0) return text;
  const widened = ranges
    .map(([start, end]): [number, number] => {
      let s = Math.max(0, Math.min(start, text.length));
      let e = Math.max(s, Math.min(end, text.length));
      while (s > 0 && TOKEN_CHAR.test(text[s - 1]!)) s--;
      while (e < text.length && TOKEN_CHAR.test(text[e]!)) e++;
      return [s, e];
    })
    // A finding around a value the JupyterHub rules hid already (postgres://jhub:‹redacted›@db) is done.
    .filter(([s, e]) => e > s && !text.slice(s, e).includes(REDACTED))
    .sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [s, e] of widened) {
    if (e <= at) continue;
    out += text.slice(at, Math.max(at, s)) + REDACTED;
    at = e;
  }
  return out + text.slice(at);
}

/**
 * A value with every string inside redacted (objects and arrays walked, other values kept): for
 * messages and JSON documents on their way out. `keep` names keys whose strings are not shown as
 * text but used (file paths the page sends back, scripts to run).
 */
export function redactDeep<T>(value: T, keep: ReadonlySet<string> = new Set()): T {
  const visit = (v: unknown, key: string | undefined): unknown => {
    if (key !== undefined && keep.has(key)) return v;
    if (typeof v === 'string') return redactText(v);
    if (Array.isArray(v)) return v.map((item) => visit(item, undefined));
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[k] = visit(inner, k);
      return out;
    }
    return v;
  };
  return visit(value, undefined) as T;
}

/** Lines for a log, redacted: the one way the extension writes to its log channel. */
export function redactingLog(write: (line: string) => void): (line: string) => void {
  return (line) => write(redactText(line));
}
