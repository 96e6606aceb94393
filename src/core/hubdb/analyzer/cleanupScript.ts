import type { StaleServer } from './offenders';
import { formatCount } from '../../../shared/format';

/**
 * Scripts that remove stale named servers through JupyterHub's REST API
 * (`DELETE /hub/api/users/{name}/servers/{server_name}` with body `{"remove": true}`), never by writing
 * the DB: the API also removes the server's OAuth client and tokens, and the hub stays consistent.
 *
 * Names from the DB are hostile input (JupyterHub checks server names only when
 * `named_server_limit_per_user` is set). What keeps a script on the URLs it names:
 * - Every byte of a name except `A-Z a-z 0-9 _ ~ -` is percent-encoded in its path segment, dots and
 *   slashes included, so no client, proxy or server can read a segment as `.`/`..`, a separator, a query
 *   or a fragment. JupyterHub (tornado) matches its routes on the raw path and unquotes each captured
 *   segment, so `%2E%2E` reaches the handler as the name `..`. curl also gets `--path-as-is --globoff`.
 * - A name that cannot be sent as exactly itself is left out, with a comment saying why: empty names,
 *   names not read exactly from the DB, text that is not valid Unicode, URLs longer than the hub accepts,
 *   and (bash only) a NUL byte, which no bash argument can hold.
 * - Each script sends only `GET {HUB}/hub/api/users/{user}?include_stopped_servers=1` (the check) and that
 *   DELETE; it follows no redirect. The token only comes from JUPYTERHUB_API_TOKEN and travels only in the
 *   Authorization header (curl reads it on stdin, never on its command line).
 * - Before each DELETE the script reads the user's model and skips the server when it is running, when its
 *   last_activity or started is later than in the snapshot (or not before the snapshot time): started and
 *   stopped again since, or when it was used in the last `--stale-days` days.
 * - Every name is escaped for the script's language (no shell or Python expansion), printable ASCII only,
 *   so bidi and control characters are visible escapes to whoever reviews the script.
 * - A failed request (no answer, an error status, an answer that is not the user's JSON model) is counted
 *   for that server and the run goes on; the exit status is 1 when anything failed, 2 for bad arguments.
 */

export interface CleanupScriptOptions {
  /** When the snapshot was taken (ISO 8601, UTC). Activity at or after it means "used since". */
  snapshotTime?: string;
  /** The idle threshold used to pick the servers (days); the scripts' default for `--stale-days`. */
  days: number;
}

/** `--stale-days` accepts whole days from 1 to this (100 years). */
export const MAX_STALE_DAYS = 36_500;

/**
 * The longest `users/{user}/servers/{server}` path the scripts send. JupyterHub (tornado) refuses request
 * heads over 64 KiB; this leaves room for the hub's base URL and the headers.
 */
export const MAX_REQUEST_PATH = 32 * 1024;

export type ScriptLanguage = 'bash' | 'python';

const utf8 = new TextEncoder();
const hex2 = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

/**
 * A path segment that decodes to exactly `text` and that nothing reads as anything but one segment:
 * every UTF-8 byte except `A-Z a-z 0-9 _ ~ -` is percent-encoded (also `.`, which RFC 3986 leaves
 * unencoded, because `.` and `..` segments are removed by clients and proxies).
 */
export function encodePathSegment(text: string): string {
  // Only unreserved characters: nothing to encode (most names; the loop would give the same text).
  if (/^[A-Za-z0-9_~-]*$/.test(text)) return text;
  let out = '';
  for (const byte of utf8.encode(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_~-]/.test(c) ? c : `%${hex2(byte)}`;
  }
  return out;
}

/** Whether `text` is well-formed UTF-16 (no lone surrogate), so it has one UTF-8 encoding. */
export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * A bash ANSI-C quoted word ($'…') that yields exactly `text`. Everything outside printable ASCII is
 * written as its UTF-8 bytes (\xHH), which bash reproduces whatever the locale (its \u escapes depend
 * on it), and which keeps bidi and control characters visible to whoever reviews the script. A NUL
 * cannot be in a bash word: callers leave such names out (see `leftOutReason`).
 */
export function bashQuote(text: string): string {
  // Printable ASCII without ' or \ stands for itself (most names: no encoding, no loop).
  if (/^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/.test(text)) return `$'${text}'`;
  let out = "$'";
  for (const byte of utf8.encode(text)) {
    if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x27) out += "\\'";
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

/** A Python string literal that yields exactly `text` (ASCII only, escapes for the rest). */
export function pythonQuote(text: string): string {
  // Printable ASCII without " or \ stands for itself.
  if (/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(text)) return `"${text}"`;
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === '"') out += '\\"';
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * A name for people: a JSON string in printable ASCII (everything else as \uXXXX), at most `max`
 * characters of the name. Used in the scripts' output and comments, never to address anything.
 */
export function printableName(text: string, max = 80): string {
  const cut = text.length > max;
  const json = JSON.stringify(cut ? text.slice(0, max) : text).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return cut ? `${json.slice(0, -1)}..."(${text.length} characters)` : json;
}

/** Why `server` cannot be in a script for `language` (a sentence), or null when it can. */
export function leftOutReason(server: StaleServer, language: ScriptLanguage): string | null {
  if (server.inexact) return `${server.inexact}: no request could name it exactly`;
  if (server.user === '') return 'the user name is empty, and an empty path segment does not reach the user';
  if (server.server === '') return 'the server name is empty: that is the default server, which is never removed';
  if (!isWellFormed(server.user) || !isWellFormed(server.server))
    return 'a name is not valid Unicode (a lone surrogate), so it has no exact UTF-8 form to send';
  if (language === 'bash' && (server.user.includes('\0') || server.server.includes('\0')))
    return 'a name holds a NUL character, which bash arguments cannot carry (the Python script removes it)';
  const length = `users/${encodePathSegment(server.user)}/servers/${encodePathSegment(server.server)}`.length;
  if (length > MAX_REQUEST_PATH)
    return `its request path would be ${formatCount(length)} bytes, over the ${formatCount(MAX_REQUEST_PATH)} the scripts send (JupyterHub refuses request heads over 64 KiB)`;
  return null;
}

const TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:Z|\+00:00)?$/;

/**
 * A UTC time from the DB (`YYYY-MM-DD HH:MM:SS.ffffff`) or an ISO string, as the scripts compare it:
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ`. '' when absent or not in that form (the scripts then treat any
 * activity the hub reports as newer).
 */
export function scriptTime(text: string | null | undefined): string {
  const match = TIME.exec(text ?? '');
  if (!match) return '';
  const seconds = `${match[1]}T${match[2]}Z`;
  const date = new Date(seconds);
  // A real instant whose fields are what was written (no month 13, no 25:00).
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== seconds.slice(0, 19)) return '';
  return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

/** The comment line that says why a server is not in a script: printable ASCII, cannot end early. */
function leftOutComment(server: StaleServer, reason: string): string {
  return `# left out: user ${printableName(server.user)}, server ${printableName(server.server)}: ${commentSafe(reason)}`;
}

const label = (s: StaleServer) => `${printableName(s.user)}/${printableName(s.server)}`;

const bashLine = (s: StaleServer) =>
  `remove_server ${bashQuote(s.user)} ${bashQuote(s.server)} '${encodePathSegment(s.user)}' '${encodePathSegment(s.server)}' '${scriptTime(s.lastActivity)}' ${bashQuote(label(s))}`;
const pythonLine = (s: StaleServer) => {
  const time = scriptTime(s.lastActivity);
  return `    (${pythonQuote(s.user)}, ${pythonQuote(s.server)}, "${encodePathSegment(s.user)}", "${encodePathSegment(s.server)}", ${time ? `"${time}"` : 'None'}, ${pythonQuote(label(s))}),`;
};

/** The line a server takes in a script: its call, or the comment saying why it is left out. */
function scriptLine(s: StaleServer, language: ScriptLanguage): string {
  const reason = leftOutReason(s, language);
  if (reason) return leftOutComment(s, reason);
  return language === 'bash' ? bashLine(s) : pythonLine(s);
}

/** The scripts' fixed part is under 16 KB; beyond that each server costs its line in the longer script. */
const SCRIPT_OVERHEAD = 16 * 1024;

/**
 * How many of `servers` (from the start) fit in scripts of at most `maxBytes` characters each: long,
 * escaped names can make a few thousand servers into megabytes, too big to show or to review.
 */
export function serversThatFit(servers: readonly StaleServer[], maxBytes: number): number {
  if (SCRIPT_OVERHEAD + plainLinesBound(servers) <= maxBytes) return servers.length;
  let used = SCRIPT_OVERHEAD;
  for (let i = 0; i < servers.length; i++) {
    used += Math.max(scriptLine(servers[i]!, 'bash').length, scriptLine(servers[i]!, 'python').length) + 1;
    if (used > maxBytes) return i;
  }
  return servers.length;
}

/** Names that stand for themselves everywhere in a script: no quoting, no encoding, no escapes. */
const PLAIN = /^[A-Za-z0-9_~-]+$/;

/**
 * An upper bound on the script bytes of `servers` when every name is plain (else Infinity), without writing
 * the lines: a plain name appears as itself in each quoted and encoded form, so the longer of a server's two
 * lines is at most 65 + 3 × (the names' lengths) characters (the time takes 27 and its quotes); the bound
 * allows 100 + 4 ×.
 */
function plainLinesBound(servers: readonly StaleServer[]): number {
  let bound = 0;
  for (const s of servers) {
    if (s.inexact || !PLAIN.test(s.user) || !PLAIN.test(s.server)) return Infinity;
    bound += 100 + 4 * (s.user.length + s.server.length) + 1;
  }
  return bound;
}

/** A comment line that cannot end the comment early or smuggle control characters. */
const commentSafe = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

/** The days go into the scripts as code: a whole number in range, or the caller has a bug. */
function checkedDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_STALE_DAYS)
    throw new RangeError(`stale days must be a whole number from 1 to ${MAX_STALE_DAYS}, not ${days}`);
  return days;
}

/**
 * The servers a script removes, each user's together (in the order of their oldest server) so that one
 * read of a user's model serves all their servers, and the comments for those it leaves out.
 */
function plan(servers: readonly StaleServer[], language: ScriptLanguage) {
  const byUser = new Map<string, StaleServer[]>();
  const comments: string[] = [];
  for (const s of servers) {
    const reason = leftOutReason(s, language);
    if (reason) comments.push(leftOutComment(s, reason));
    else if (byUser.has(s.user)) byUser.get(s.user)!.push(s);
    else byUser.set(s.user, [s]);
  }
  return { included: [...byUser.values()].flat(), comments };
}

function header(count: number, leftOut: number, options: CleanupScriptOptions, prefix: string): string[] {
  const snapshot = scriptTime(options.snapshotTime);
  return [
    `Removes ${count} stale named server(s) (stopped, idle more than ${options.days} days) through the JupyterHub`,
    'REST API. Generated by JupyterHub Ops from a hub DB snapshot' +
      (snapshot ? ` taken ${snapshot}.` : ' (time unknown).') +
      (leftOut ? ` ${leftOut} server(s) are left out: see "left out" below.` : ''),
    '',
    `${prefix} https://hub.example.org                  # dry run: lists, sends nothing`,
    `${prefix} https://hub.example.org --apply          # remove`,
    `${prefix} https://hub.example.org --apply --stale-days=90`,
    '',
    "HUB_URL is the hub's public URL including any base_url (the API is HUB_URL/hub/api). The token comes from",
    "JUPYTERHUB_API_TOKEN only: an admin's token, or one with the scopes read:users, read:servers and",
    'delete:servers. Before each removal the script reads the user (JupyterHub 3.0 or later) and skips the',
    'server when it is running, was used or started since the snapshot, or was used in the last --stale-days',
    `days (default ${options.days}). Requests: GET HUB_URL/hub/api/users/USER?include_stopped_servers=1 and`,
    'DELETE HUB_URL/hub/api/users/USER/servers/SERVER, names fully percent-encoded; no redirect is followed.',
    'Exit status: 0 done (or dry run), 1 some servers failed (FAILED lines), 2 bad arguments or environment.',
  ];
}

export function bashCleanupScript(servers: readonly StaleServer[], options: CleanupScriptOptions): string {
  checkedDays(options.days);
  const { included, comments } = plan(servers, 'bash');
  const lines = [
    '#!/usr/bin/env bash',
    ...header(included.length, comments.length, options, 'JUPYTERHUB_API_TOKEN=... ./remove-stale-servers.sh').map(
      (l) => (l ? `# ${l}` : '#'),
    ),
    '#',
    '# Needs curl and jq. The token reaches curl on stdin (-H @-), never on a command line.',
    '# Not set -e: a failure is counted for its server and the run goes on.',
    'set -u -o pipefail',
    'export LC_ALL=C',
    `STALE_DAYS=${options.days}`,
    `SNAPSHOT='${scriptTime(options.snapshotTime)}'`,
    `LEFT_OUT=${comments.length}`,
    'usage="usage: $0 HUB_URL [--apply] [--stale-days=N]"',
    'fail() { printf \'%s\\n\' "$1" >&2; exit 2; }',
    'check_days() {',
    '  case "$DAYS" in',
    `    ''|0*|*[!0-9]*|??????*) fail "--stale-days must be a whole number of days from 1 to ${MAX_STALE_DAYS}, not $(printf %q "$DAYS")" ;;`,
    '  esac',
    `  [ "$DAYS" -le ${MAX_STALE_DAYS} ] || fail "--stale-days must be a whole number of days from 1 to ${MAX_STALE_DAYS}, not $DAYS"`,
    '}',
    'HUB_URL=""; APPLY=0; DAYS=$STALE_DAYS',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in',
    '    --apply) APPLY=1 ;;',
    '    --stale-days) [ $# -ge 2 ] || fail "--stale-days needs a value"; DAYS=$2; shift; check_days ;;',
    '    --stale-days=*) DAYS=${1#--stale-days=}; check_days ;;',
    '    -*) fail "unknown option $(printf %q "$1") ($usage)" ;;',
    '    *) [ -z "$HUB_URL" ] || fail "give one HUB_URL ($usage)"; HUB_URL=$1 ;;',
    '  esac',
    '  shift',
    'done',
    '[ -n "$HUB_URL" ] || fail "$usage"',
    'case "$HUB_URL" in',
    '  http://?*|https://?*) ;;',
    '  *) fail "HUB_URL must start with http:// or https://" ;;',
    'esac',
    'case "$HUB_URL" in',
    '  *[!!-~]*|*[?#]*) fail "HUB_URL must be printable ASCII without spaces, ? or #" ;;',
    'esac',
    'while [ "${HUB_URL%/}" != "$HUB_URL" ]; do HUB_URL=${HUB_URL%/}; done',
    'if [ "$APPLY" = 1 ]; then',
    '  [ -n "${JUPYTERHUB_API_TOKEN:-}" ] || fail "set JUPYTERHUB_API_TOKEN in the environment"',
    '  case "$JUPYTERHUB_API_TOKEN" in *[!!-~]*) fail "JUPYTERHUB_API_TOKEN holds spaces or control characters" ;; esac',
    '  command -v curl >/dev/null || fail "needs curl"',
    '  command -v jq >/dev/null || fail "needs jq (to check each server before removing it)"',
    'fi',
    'removed=0; skipped=0; gone=0; failed=0; listed=0',
    "NL=$'\\n'",
    '',
    '# api METHOD PATH: prints the answer, a newline and the HTTP status (000: no answer). Only GET and the',
    '# DELETE are ever sent; --path-as-is and --globoff send PATH byte for byte; no redirect is followed.',
    'api() {',
    "  local opts=(--silent --show-error --path-as-is --globoff --proto '=http,https' --connect-timeout 10 --max-time 60",
    "    -H @- -H 'Content-Type: application/json' --write-out '\\n%{http_code}')",
    '  if [ "$1" = DELETE ]; then',
    '    printf \'Authorization: token %s\\n\' "$JUPYTERHUB_API_TOKEN" |',
    '      curl "${opts[@]}" -X DELETE --data-binary \'{"remove": true}\' "$HUB_URL/hub/api/$2"',
    '  else',
    '    printf \'Authorization: token %s\\n\' "$JUPYTERHUB_API_TOKEN" | curl "${opts[@]}" "$HUB_URL/hub/api/$2"',
    '  fi',
    '}',
    '',
    "# What the user's model says about a server now: remove, gone, running, used, recent (anything else: unreadable).",
    "CHECK='",
    'def epoch: (capture("^(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?<t>[0-9]{2}:[0-9]{2}:[0-9]{2})(?<f>[.][0-9]+)?(Z|[+]00:00)?$") // error("time"))',
    '  | ((.d + "T" + .t + "Z") | fromdateiso8601) + (("0" + (.f // "")) | tonumber);',
    'def time: if . == null then null elif type == "string" then epoch else error("time") end;',
    '($recorded | if . == "" then null else epoch end) as $rec',
    '| ($snapshot | if . == "" then null else epoch end) as $snap',
    '| if type != "object" or .name != $u or (.servers | type) != "object" then "unreadable"',
    '  elif (.servers | has($s) | not) then "gone"',
    '  elif (.servers[$s] | type) != "object" then "unreadable"',
    '  else .servers[$s] as $x',
    '    | ([$x.last_activity, $x.started] | map(time) | map(select(. != null)) | max) as $latest',
    '    | if $x.stopped != true then "running"',
    '      elif $latest != null and ($rec == null or $latest > $rec or ($snap != null and $latest >= $snap)) then "used"',
    '      elif $latest != null and $latest > now - $days * 86400 then "recent"',
    '      else "remove" end',
    "  end'",
    '',
    "# JupyterHub's own 404 (a JSON error) means gone; any other 404 means HUB_URL does not reach the API.",
    'hub_404() { [ "$1" = 404 ] && printf \'%s\' "$2" | jq -e \'type == "object" and .status == 404\' >/dev/null 2>&1; }',
    'failure() { failed=$((failed+1)); printf \'FAILED %s: %s\\n\' "$1" "$2" >&2; }',
    '',
    '# request METHOD PATH: sets STATUS (000: no answer) and BODY.',
    'request() {',
    '  local reply',
    '  reply=$(api "$1" "$2")',
    '  STATUS=${reply##*$NL}; BODY=${reply%$NL*}',
    '  case "$STATUS" in [0-9][0-9][0-9]) ;; *) STATUS=000 ;; esac',
    '}',
    '',
    "# user_model USER_PATH: sets MODEL_STATUS and MODEL to the user's model, read again when it is another",
    "# user's or older than 5 seconds (one read per user, not per server: a user's model lists all their servers).",
    "MODEL_FOR=''; MODEL_AT=0; MODEL_STATUS=''; MODEL=''",
    'user_model() {',
    '  if [ "$MODEL_FOR" = "$1" ] && [ $((SECONDS - MODEL_AT)) -lt 5 ]; then return 0; fi',
    '  request GET "users/$1?include_stopped_servers=1"',
    '  MODEL_STATUS=$STATUS; MODEL=$BODY; MODEL_AT=$SECONDS',
    '  if [ "$STATUS" = 200 ]; then MODEL_FOR=$1; else MODEL_FOR=\'\'; fi',
    '}',
    '',
    '# remove_server USER SERVER USER_PATH SERVER_PATH LAST_ACTIVITY LABEL: USER and SERVER are the exact names',
    "# (checked against the hub's answer), *_PATH their percent-encoded path segments, LAST_ACTIVITY the",
    "# server's in the snapshot ('' when never used), LABEL the names in printable ASCII.",
    'remove_server() {',
    '  local verdict',
    '  listed=$((listed+1))',
    '  if [ "$APPLY" != 1 ]; then printf \'would remove %s\\n\' "$6"; return 0; fi',
    '  user_model "$3"',
    '  if hub_404 "$MODEL_STATUS" "$MODEL"; then gone=$((gone+1)); printf \'already gone %s\\n\' "$6"; return 0; fi',
    '  if [ "$MODEL_STATUS" != 200 ]; then failure "$6" "reading the user: HTTP $MODEL_STATUS"; return 0; fi',
    '  verdict=$(jq -r --arg u "$1" --arg s "$2" --arg recorded "$5" --arg snapshot "$SNAPSHOT" --argjson days "$DAYS" \\',
    '    "$CHECK" 2>/dev/null <<<"$MODEL") || verdict=unreadable',
    '  case "$verdict" in',
    '    remove) ;;',
    '    gone) gone=$((gone+1)); printf \'already gone %s\\n\' "$6"; return 0 ;;',
    '    running) skipped=$((skipped+1)); printf \'skipped %s: it is running\\n\' "$6"; return 0 ;;',
    '    used) skipped=$((skipped+1)); printf \'skipped %s: used or started since the snapshot\\n\' "$6"; return 0 ;;',
    '    recent) skipped=$((skipped+1)); printf \'skipped %s: used in the last %s days\\n\' "$6" "$DAYS"; return 0 ;;',
    '    *) failure "$6" "reading the user: the answer is not the user\'s JSON model (a login page? the token needs read:users and read:servers)"; return 0 ;;',
    '  esac',
    '  request DELETE "users/$3/servers/$4"',
    '  case "$STATUS" in',
    '    202|204) removed=$((removed+1)); printf \'removed %s\\n\' "$6" ;;',
    '    *) if hub_404 "$STATUS" "$BODY"; then gone=$((gone+1)); printf \'already gone %s\\n\' "$6"; else failure "$6" "removing: HTTP $STATUS"; fi ;;',
    '  esac',
    '}',
    '',
    ...comments,
    ...included.map(bashLine),
    '',
    'if [ "$APPLY" = 1 ]; then',
    '  echo "removed $removed, skipped $skipped, already gone $gone, failed $failed (of $listed; $LEFT_OUT left out of the script)"',
    'else',
    '  echo "dry run: $listed server(s) would be removed, $LEFT_OUT left out; nothing was sent. Run again with --apply."',
    'fi',
    '[ "$failed" = 0 ] || exit 1',
    '',
  ];
  return lines.join('\n');
}

export function pythonCleanupScript(servers: readonly StaleServer[], options: CleanupScriptOptions): string {
  checkedDays(options.days);
  const { included, comments } = plan(servers, 'python');
  const snapshot = scriptTime(options.snapshotTime);
  return [
    '#!/usr/bin/env python3',
    `"""${header(
      included.length,
      comments.length,
      options,
      '    JUPYTERHUB_API_TOKEN=... python3 remove_stale_servers.py',
    ).join('\n')}`,
    '',
    'Standard library only. A failure is counted for its server and the run goes on.',
    '"""',
    'import datetime',
    'import http.client',
    'import json',
    'import os',
    'import re',
    'import sys',
    'import time',
    'import urllib.error',
    'import urllib.parse',
    'import urllib.request',
    '',
    `STALE_DAYS = ${options.days}`,
    `MAX_STALE_DAYS = ${MAX_STALE_DAYS}`,
    `SNAPSHOT = ${snapshot ? `"${snapshot}"` : 'None'}`,
    `LEFT_OUT = ${comments.length}`,
    ...comments,
    '# (user, server, user path segment, server path segment, last activity in the snapshot, label)',
    'SERVERS = [',
    ...included.map(pythonLine),
    ']',
    'USAGE = "usage: remove_stale_servers.py HUB_URL [--apply] [--stale-days=N]"',
    'SEGMENT = re.compile(r"[A-Za-z0-9_~%-]+")',
    'TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?(?:Z|\\+00:00)?")',
    '',
    '',
    'class NoRedirect(urllib.request.HTTPRedirectHandler):',
    '    """A redirect is an answer to report, never a request to make (it would carry the token elsewhere)."""',
    '',
    '    def redirect_request(self, *args, **kwargs):',
    '        return None',
    '',
    '',
    'OPENER = urllib.request.build_opener(NoRedirect)',
    '',
    '',
    'class Unreadable(ValueError):',
    '    pass',
    '',
    '',
    'def api(hub_url, token, method, path):',
    '    """(HTTP status, body); status 0 when no answer came (refused, reset, timed out)."""',
    '    request = urllib.request.Request(',
    '        hub_url + "/hub/api/" + path,',
    '        method=method,',
    '        data=b\'{"remove": true}\' if method == "DELETE" else None,',
    '        headers={"Authorization": "token " + token, "Content-Type": "application/json"},',
    '    )',
    '    try:',
    '        with OPENER.open(request, timeout=60) as response:',
    '            return response.status, response.read()',
    '    except urllib.error.HTTPError as error:',
    '        try:',
    '            return error.code, error.read()',
    '        except (OSError, http.client.HTTPException):',
    '            return error.code, b""',
    '    except (OSError, http.client.HTTPException) as error:',
    '        return 0, ascii(str(error)).encode()',
    '',
    '',
    'def describe(status, body):',
    '    return "no answer: " + body.decode()[:200] if status == 0 else f"HTTP {status}"',
    '',
    '',
    'def hub_404(status, body):',
    '    """JupyterHub\'s own 404 (a JSON error) means gone; any other 404 means HUB_URL does not reach the API."""',
    '    try:',
    '        model = json.loads(body)',
    '    except ValueError:',
    '        return False',
    '    return status == 404 and isinstance(model, dict) and model.get("status") == 404',
    '',
    '',
    'def parse_time(text):',
    '    if text is None:',
    '        return None',
    '    match = TIME.fullmatch(text) if isinstance(text, str) else None',
    '    if not match:',
    '        raise Unreadable(f"unreadable time {ascii(text)[:60]}")',
    '    fraction = (match.group(7) or "").ljust(6, "0")[:6]',
    '    try:',
    '        return datetime.datetime(*(int(part) for part in match.groups()[:6]), int(fraction))',
    '    except ValueError:',
    '        raise Unreadable(f"unreadable time {ascii(text)[:60]}") from None',
    '',
    '',
    'def check(body, user, server, recorded, days):',
    '    """What the user\'s model says about the server now: remove, gone, running, used or recent."""',
    '    try:',
    '        model = json.loads(body)',
    '    except ValueError:',
    '        raise Unreadable("the answer is not JSON (a login page? check HUB_URL)") from None',
    '    if not isinstance(model, dict) or model.get("name") != user or not isinstance(model.get("servers"), dict):',
    '        raise Unreadable("the answer is not the user\'s model (the token needs read:users and read:servers)")',
    '    if server not in model["servers"]:',
    '        return "gone"',
    '    entry = model["servers"][server]',
    '    if not isinstance(entry, dict):',
    '        raise Unreadable("the answer is not the user\'s model")',
    '    if entry.get("stopped") is not True:',
    '        return "running"',
    '    times = [parse_time(entry.get("last_activity")), parse_time(entry.get("started"))]',
    '    latest = max((t for t in times if t is not None), default=None)',
    '    if latest is None:',
    '        return "remove"',
    '    snapshot = parse_time(SNAPSHOT)',
    '    if recorded is None or latest > parse_time(recorded) or (snapshot is not None and latest >= snapshot):',
    '        return "used"',
    '    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)',
    '    if latest > now - datetime.timedelta(days=days):',
    '        return "recent"',
    '    return "remove"',
    '',
    '',
    'SKIPPED = {',
    '    "running": "it is running",',
    '    "used": "used or started since the snapshot",',
    '    "recent": "used in the last {days} days",',
    '}',
    '',
    '',
    'class UserModels:',
    '    """The last user\'s model, read again when it is another user\'s or older than 5 seconds (one read per',
    '    user, not per server: a user\'s model lists all their servers)."""',
    '',
    '    def __init__(self, hub_url, token):',
    '        self.hub_url, self.token = hub_url, token',
    '        self.user_path, self.time, self.answer = None, 0.0, None',
    '',
    '    def get(self, user_path):',
    '        if self.user_path != user_path or time.monotonic() - self.time >= 5:',
    '            self.answer = api(self.hub_url, self.token, "GET", f"users/{user_path}?include_stopped_servers=1")',
    '            self.time = time.monotonic()',
    '            self.user_path = user_path if self.answer[0] == 200 else None',
    '        return self.answer',
    '',
    '',
    'def remove(models, days, user, server, user_path, server_path, recorded):',
    '    """(outcome, detail): outcome is removed, gone, skipped or failed."""',
    '    for segment, name in ((user_path, user), (server_path, server)):',
    '        if not SEGMENT.fullmatch(segment) or urllib.parse.unquote(segment, errors="strict") != name:',
    '            return "failed", "the script was edited: a path segment does not match its name"',
    '    status, body = models.get(user_path)',
    '    if hub_404(status, body):',
    '        return "gone", ""',
    '    if status != 200:',
    '        return "failed", "reading the user: " + describe(status, body)',
    '    try:',
    '        state = check(body, user, server, recorded, days)',
    '    except Unreadable as error:',
    '        return "failed", f"reading the user: {error}"',
    '    if state == "gone":',
    '        return "gone", ""',
    '    if state != "remove":',
    '        return "skipped", SKIPPED[state].format(days=days)',
    '    status, body = api(models.hub_url, models.token, "DELETE", f"users/{user_path}/servers/{server_path}")',
    '    if status in (202, 204):',
    '        return "removed", ""',
    '    if hub_404(status, body):',
    '        return "gone", ""',
    '    return "failed", "removing: " + describe(status, body)',
    '',
    '',
    'def arguments(argv):',
    '    """(hub_url, apply, days), or exits 2 with one line."""',
    '',
    '    def fail(message):',
    '        print(message, file=sys.stderr)',
    '        sys.exit(2)',
    '',
    '    hub_url, apply, days = None, False, STALE_DAYS',
    '    rest = list(argv[1:])',
    '    while rest:',
    '        arg = rest.pop(0)',
    '        if arg == "--apply":',
    '            apply = True',
    '        elif arg == "--stale-days" or arg.startswith("--stale-days="):',
    '            if arg == "--stale-days" and not rest:',
    '                fail("--stale-days needs a value")',
    '            value = rest.pop(0) if arg == "--stale-days" else arg[len("--stale-days=") :]',
    '            if not re.fullmatch(r"[1-9][0-9]{0,4}", value) or int(value) > MAX_STALE_DAYS:',
    '                fail(f"--stale-days must be a whole number of days from 1 to {MAX_STALE_DAYS}, not {ascii(value)}")',
    '            days = int(value)',
    '        elif arg.startswith("-"):',
    '            fail(f"unknown option {ascii(arg)} ({USAGE})")',
    '        elif hub_url is not None:',
    '            fail(f"give one HUB_URL ({USAGE})")',
    '        else:',
    '            hub_url = arg',
    '    if hub_url is None:',
    '        fail(USAGE)',
    '    if not re.fullmatch(r"https?://[!-~]+", hub_url) or "?" in hub_url or "#" in hub_url:',
    '        fail("HUB_URL must start with http:// or https:// and be printable ASCII without spaces, ? or #")',
    '    return hub_url.rstrip("/"), apply, days',
    '',
    '',
    'def main(argv):',
    '    hub_url, apply, days = arguments(argv)',
    '    token = os.environ.get("JUPYTERHUB_API_TOKEN", "")',
    '    if apply and not token:',
    '        print("set JUPYTERHUB_API_TOKEN in the environment", file=sys.stderr)',
    '        return 2',
    '    if apply and not re.fullmatch(r"[!-~]+", token):',
    '        print("JUPYTERHUB_API_TOKEN holds spaces or control characters", file=sys.stderr)',
    '        return 2',
    '    counts = {"removed": 0, "skipped": 0, "gone": 0, "failed": 0}',
    '    models = UserModels(hub_url, token)',
    '    for user, server, user_path, server_path, recorded, label in SERVERS:',
    '        if not apply:',
    '            print(f"would remove {label}")',
    '            continue',
    '        try:',
    '            outcome, detail = remove(models, days, user, server, user_path, server_path, recorded)',
    '        except Exception as error:  # an answer nobody foresaw: count it for this server and go on',
    '            outcome, detail = "failed", f"unexpected {type(error).__name__}"',
    '        counts[outcome] += 1',
    '        if outcome == "failed":',
    '            print(f"FAILED {label}: {detail}", file=sys.stderr)',
    '        elif outcome == "skipped":',
    '            print(f"skipped {label}: {detail}")',
    '        else:',
    '            print(("already gone " if outcome == "gone" else "removed ") + label)',
    '    if apply:',
    '        print(',
    "            f\"removed {counts['removed']}, skipped {counts['skipped']}, already gone {counts['gone']}, \"",
    '            f"failed {counts[\'failed\']} (of {len(SERVERS)}; {LEFT_OUT} left out of the script)"',
    '        )',
    '    else:',
    '        print(f"dry run: {len(SERVERS)} server(s) would be removed, {LEFT_OUT} left out; nothing was sent. Run again with --apply.")',
    '    return 1 if counts["failed"] else 0',
    '',
    '',
    'if __name__ == "__main__":',
    '    sys.exit(main(sys.argv))',
    '',
  ].join('\n');
}
