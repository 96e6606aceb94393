/**
 * Which values in a hub DB are secrets. A snapshot is copied to laptops, shown on screens and attached to
 * incident reports: token hashes, OAuth secrets and codes, cookie ids and auth_state must never show.
 */

/** What the operator sees instead of a secret (the same marker in the grid, exports and reports). */
export const REDACTED = '‹redacted›';

/** Columns whose whole value is a secret, by table (JupyterHub's schema). */
export const secretColumns: Readonly<Record<string, readonly string[]>> = {
  api_tokens: ['hashed', 'session_id'],
  oauth_clients: ['secret'],
  oauth_codes: ['code', 'session_id', 'code_challenge'],
  users: ['encrypted_auth_state', 'cookie_id'],
  share_codes: ['hashed'],
  // Managed services' environment often carries API keys and passwords.
  services: ['environment'],
};

/**
 * JSON columns kept visible with their secret-looking keys hidden: KubeSpawner's `state` is pod name,
 * namespace and DNS name (useful in an incident), but other spawners have kept tokens there
 * (JupyterHub < 0.8 stored the server's `api_token` in it), and `user_options` holds what users typed.
 */
export const jsonSecretColumns: Readonly<Record<string, readonly string[]>> = {
  spawners: ['state', 'user_options'],
  users: ['state'],
};

/** Column (or JSON key) names that hold secrets wherever they appear, e.g. in a foreign schema. */
const SECRET_NAME =
  /token|secret|hashed|passw|cookie_id|auth_state|api_?key|private_?key|credential|bearer|session_id/i;

const has = (map: Readonly<Record<string, readonly string[]>>, table: string, column: string) =>
  Object.prototype.hasOwnProperty.call(map, table) && map[table]!.includes(column);

export type ColumnTreatment = 'keep' | 'redact' | 'json';

/**
 * How a column's values are shown. `table` null means the column's origin is unknown (an expression or
 * alias in ad-hoc SQL): then only its name can tell.
 */
export function columnTreatment(table: string | null, column: string): ColumnTreatment {
  if (table !== null) {
    if (has(secretColumns, table, column)) return 'redact';
    if (has(jsonSecretColumns, table, column)) return 'json';
  }
  return SECRET_NAME.test(column) ? 'redact' : 'keep';
}

export function isSecretColumn(table: string | null, column: string): boolean {
  return columnTreatment(table, column) === 'redact';
}

/**
 * A JSON text with the values of secret-looking keys replaced (at any depth). Text that is not JSON is
 * returned unchanged when it has no secret-looking words, else redacted whole: when in doubt, hide.
 */
export function redactJsonText(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return SECRET_NAME.test(text) ? REDACTED : text;
  }
  let changed = false;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) {
        if (SECRET_NAME.test(key)) {
          out[key] = REDACTED;
          changed = true;
        } else out[key] = walk(inner);
      }
      return out;
    }
    return value;
  };
  const result = walk(parsed);
  return changed ? JSON.stringify(result) : text;
}
