/**
 * Which names say "my value is a secret": database columns, JSON keys, `name=value` settings,
 * environment variables and command-line flags. JupyterHub's own schema is listed column by column;
 * anything else (a foreign table, a key inside a JSON column, `GITHUB_PAT=…`) is judged by its name.
 */

/** Words that make a name secret: `JUPYTERHUB_API_TOKEN`, `cookie_secret`, `passwd`, `c.Proxy.auth_token`… */
const SECRET_WORD = [
  'token',
  'secret',
  'passw(?:or)?d',
  'passphrase',
  'credential',
  'auth_?state',
  'cookie_?id',
  'hashed',
  'session_?id',
  'bearer',
  'authorization',
  '(?:api|private|access|crypt|secret|ssh|signing|client|encryption|master|account|license)[-_]?key',
  'apikey',
  'client-key-data',
  'client-certificate-data',
].join('|');

/**
 * A whole name (column, key, variable, flag) that holds a secret. Plural names (`tokens`, `secrets`:
 * counts, lists of Kubernetes Secret names) are not; `pat` counts only as a word of its own (`GITHUB_PAT`,
 * not `path`), `pwd` only after another word (`MYSQL_PWD`, not the shell's `PWD`).
 */
/** The same words, for the text rules to find `name: value` and `--name=value` in free text. */
export const SECRET_WORD_SOURCE = `(?:${SECRET_WORD})(?!s\\b|s_)|(?<![a-z])pat(?![a-z])|[_-]pwd(?![a-z])`;

const SECRET_NAME = new RegExp(SECRET_WORD_SOURCE, 'i');

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Columns whose whole value is a secret, by table (JupyterHub's schema, 0.9 to 6.x). */
export const secretColumns: Readonly<Record<string, readonly string[]>> = {
  api_tokens: ['hashed', 'session_id'],
  oauth_clients: ['secret'],
  oauth_codes: ['code', 'session_id', 'code_challenge'],
  users: ['encrypted_auth_state', 'cookie_id'],
  share_codes: ['hashed'],
  // Managed services' environment is where their API keys and passwords go.
  services: ['environment'],
};

/**
 * Columns known to hold JSON (shown with their secret keys and values hidden): KubeSpawner's state is
 * pod name, namespace and DNS name, useful in an incident, but other spawners keep tokens and
 * environments there; `user_options` is what users typed; groups' properties and services' info are
 * free-form.
 */
export const jsonColumns: Readonly<Record<string, readonly string[]>> = {
  spawners: ['state', 'user_options'],
  users: ['state'],
  groups: ['properties'],
  services: ['info'],
};

/**
 * How a column is shown: `redact` hides every value, `json` and `scan` hide the secrets found inside
 * each value (`json` only says the column is known to hold JSON). `table` null means the column's origin
 * is unknown (a view's column): then only its name can tell.
 */
export type ColumnTreatment = 'redact' | 'json' | 'scan';

const has = (map: Readonly<Record<string, readonly string[]>>, table: string, column: string) =>
  Object.prototype.hasOwnProperty.call(map, table) && map[table]!.includes(column);

export function columnTreatment(table: string | null, column: string): ColumnTreatment {
  if (table !== null && has(secretColumns, table, column)) return 'redact';
  if (isSecretName(column)) return 'redact';
  return table !== null && has(jsonColumns, table, column) ? 'json' : 'scan';
}
