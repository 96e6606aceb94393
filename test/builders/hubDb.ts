/**
 * Builds real JupyterHub-schema SQLite files at test time (sql.js, so it runs under plain Node, in a
 * worker and in the extension host). Deterministic: the same spec and seed give the same bytes.
 *
 *   const bytes = await buildHubDb({ version: '5.x', users: [{ name: 'alice', servers: [{ name: '', running: true }] }] });
 *
 * What a running hub leaves behind is mirrored: a running server is a spawner whose `server_id` points at
 * a `servers` row, with its API token and OAuth client; stopping removes all three. Every fake secret
 * carries `FAKE_SECRET_MARK` so tests can prove that redaction hid them.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { seededRandom } from '../harness/random';
import { ALEMBIC_HEADS, hubSchemaDdl, type HubDbVersion } from './hubDbSchema';

export type { HubDbVersion } from './hubDbSchema';
export { ALEMBIC_HEADS, hubSchemaDdl, hubSchemaTables } from './hubDbSchema';
export { seededRandom } from '../harness/random';

/** Every fake secret (token hashes, auth_state, cookie ids, OAuth secrets and codes) contains this. */
export const FAKE_SECRET_MARK = 'fake-secret';

export interface ServerSpec {
  /** '' is the default server; anything else is a named server. */
  name: string;
  running: boolean;
  /** Size of the KubeSpawner state JSON; default 200–215 bytes (seeded). */
  stateBytes?: number;
  /** Raw `spawners.state` text (overrides stateBytes); null for none. */
  state?: string | null;
  /** Size of the user_options JSON; default 5–15 bytes (seeded). */
  userOptionsBytes?: number;
  userOptions?: string | null;
  /** Default: running → within the last hour; stopped → 1–180 days before `now` (seeded). */
  lastActivity?: Date | null;
  /** A running spawner whose `servers` row is missing (a damaged DB). */
  serverMissing?: boolean;
  /** 6.x only: `spawners.display_name`. */
  displayName?: string | null;
}

export interface UserSpec {
  name: string;
  admin?: boolean;
  /** Size of an `encrypted_auth_state` blob; default none. */
  authStateBytes?: number;
  lastActivity?: Date | null;
  groups?: string[];
  servers: ServerSpec[];
}

export interface HubDbSpec {
  /** Schema series; default '5.x'. */
  version?: HubDbVersion;
  /** Stamp another alembic revision (e.g. an unknown, newer one); null leaves out the alembic_version table. */
  alembicRevision?: string | null;
  users: UserSpec[];
  /** Extra user API tokens (besides the server tokens), e.g. expired ones. */
  tokens?: { user: string; expiresAt?: Date | null; note?: string }[];
  /** OAuth codes (expires_at is a unix timestamp in the DB). */
  oauthCodes?: { user: string; expiresAt: Date }[];
  /** Share codes (5.x and later). */
  shareCodes?: { user: string; server: string }[];
  /** Shares of a user's server with another user (5.x and later). */
  shares?: { owner: string; server: string; with: string }[];
  /** `servers` rows no spawner or service points at. */
  orphanServers?: number;
  /** The clock the data is relative to; default 2025-06-01T12:00:00Z. */
  now?: Date;
  seed?: number;
  /** Kubernetes namespace in the KubeSpawner state; default 'jupyterhub-research-computing'. */
  namespace?: string;
  /** 'wal' marks the file as WAL mode (header bytes 18/19 = 2), as a live hub's file may be. */
  journalMode?: 'delete' | 'wal';
}

export const DEFAULT_NOW = new Date('2025-06-01T12:00:00Z');

/** Names an attacker (or a careless script) might give users and servers. */
export const HOSTILE_NAMES: readonly string[] = [
  '<script>alert("x")</script>',
  '"><img src=x onerror=alert(1)>',
  "o'brien'; DROP TABLE users; --",
  '$(touch /tmp/hubops-pwned)',
  '`id`',
  'a b/c?d#e%f&g=h',
  'line1\nline2\r\tend',
  '\u202eevil\u202c',
  '../../etc/passwd',
  'ünïcödé-名前-🚀',
  'back\\slash "quoted"',
  '-rf',
];

// ---------------------------------------------------------------------------------------------------

let sqlJs: Promise<SqlJsStatic> | undefined;
const loadSql = () => (sqlJs ??= initSqlJs());

/** SQLAlchemy's SQLite DATETIME text: 'YYYY-MM-DD HH:MM:SS.ffffff'. */
export function sqlDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '000');
}

const hex = (random: () => number, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

const DAY = 86_400_000;

/** KubeSpawner 7's state: pod name, namespace and DNS name, padded to `bytes` when asked. */
function kubeSpawnerState(user: string, server: string, namespace: string, bytes: number | undefined): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 40);
  const pod = `jupyter-${slug(user)}${server ? `--${slug(server)}` : ''}`;
  const state: Record<string, string> = {
    pod_name: pod,
    namespace,
    dns_name: `${pod}.${namespace}.svc.cluster.local`,
  };
  let text = JSON.stringify(state).replace(/":"/g, '": "').replace(/","/g, '", "');
  if (bytes !== undefined && bytes > text.length) {
    const pad = bytes - text.length - ', "x": ""'.length;
    if (pad >= 0) text = text.slice(0, -1) + `, "x": "${'p'.repeat(pad)}"}`;
  }
  return text;
}

const USER_OPTIONS = ['{"cpu": 2}', '{"gpu": 1}', '{"mem": "4G"}', '{"tier": 1}', '{"img": "r"}', '{"x": 1}'];

function userOptions(random: () => number, bytes: number | undefined): string {
  if (bytes === undefined) return USER_OPTIONS[Math.floor(random() * USER_OPTIONS.length)]!;
  const base = '{"p": ""}';
  return bytes <= base.length ? base : `{"p": "${'o'.repeat(bytes - base.length)}"}`;
}

/** A fake JupyterHub token hash ('sha512:rounds:salt:digest'), marked as a fake secret. */
const fakeHash = (random: () => number) => `sha512:1:${hex(random, 16)}:${FAKE_SECRET_MARK}-${hex(random, 116)}`;

function authStateBlob(random: () => number, size: number): Uint8Array {
  const blob = new Uint8Array(size);
  const mark = new TextEncoder().encode(`${FAKE_SECRET_MARK}-auth-state:`);
  for (let i = 0; i < size; i++) blob[i] = i < mark.length ? mark[i]! : Math.floor(random() * 256);
  return blob;
}

/** Builds the database and returns its bytes (a complete SQLite file). */
export async function buildHubDb(spec: HubDbSpec): Promise<Uint8Array> {
  const SQL = await loadSql();
  const db = new SQL.Database();
  try {
    fill(db, spec);
    const bytes = db.export();
    if (spec.journalMode === 'wal') {
      bytes[18] = 2;
      bytes[19] = 2;
    }
    return bytes;
  } finally {
    db.close();
  }
}

function fill(db: Database, spec: HubDbSpec): void {
  const version = spec.version ?? '5.x';
  const v5 = version === '5.x' || version === '6.x';
  const random = seededRandom(spec.seed ?? 1);
  const now = spec.now ?? DEFAULT_NOW;
  const namespace = spec.namespace ?? 'jupyterhub-research-computing';
  const at = (date: Date | null | undefined) => (date ? sqlDateTime(date) : null);

  db.run('BEGIN');
  for (const ddl of hubSchemaDdl(version)) db.run(ddl);
  // null: no alembic_version table at all (as before JupyterHub 0.8 or in a hand-made DB).
  if (spec.alembicRevision === null) db.run('DROP TABLE alembic_version');
  else db.run('INSERT INTO alembic_version (version_num) VALUES (?)', [spec.alembicRevision ?? ALEMBIC_HEADS[version]]);

  const managed = v5 ? ', managed_by_auth' : '';
  const managedValue = v5 ? ', 0' : '';
  const roles = ['admin', 'user', 'server', 'token'];
  roles.forEach((role, i) =>
    db.run(`INSERT INTO roles (id, name, description, scopes${managed}) VALUES (?, ?, ?, ?${managedValue})`, [
      i + 1,
      role,
      `Default ${role} role`,
      JSON.stringify(role === 'admin' ? ['admin-ui', 'admin:users'] : ['self']),
    ]),
  );
  db.run(
    "INSERT INTO oauth_clients (id, identifier, description, secret, redirect_uri, allowed_scopes) VALUES (1, 'jupyterhub', 'JupyterHub', ?, '/hub/oauth_callback', '[]')",
    [fakeHash(random)],
  );
  db.run(
    `INSERT INTO services (id, name, admin, display, oauth_no_confirm${v5 ? ', from_config' : ''}) VALUES (1, 'jupyterhub-idle-culler', 0, 1, 0${v5 ? ', 1' : ''})`,
  );

  const groupIds = new Map<string, number>();
  for (const user of spec.users)
    for (const group of user.groups ?? [])
      if (!groupIds.has(group)) {
        groupIds.set(group, groupIds.size + 1);
        db.run(
          `INSERT INTO groups (id, name${version === '3.x' ? '' : ', properties'}) VALUES (?, ?${version === '3.x' ? '' : ", '{}'"})`,
          [groupIds.get(group)!, group],
        );
      }

  const insertUser = db.prepare(
    'INSERT INTO users (id, name, admin, created, last_activity, cookie_id, state, encrypted_auth_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertServer = db.prepare(
    'INSERT INTO servers (id, proto, ip, port, base_url, cookie_name) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertSpawner = db.prepare(
    version === '6.x'
      ? 'INSERT INTO spawners (id, user_id, server_id, state, name, started, last_activity, user_options, oauth_client_id, display_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
      : 'INSERT INTO spawners (id, user_id, server_id, state, name, started, last_activity, user_options, oauth_client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertClient = db.prepare(
    'INSERT INTO oauth_clients (id, identifier, description, secret, redirect_uri, allowed_scopes) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertToken = db.prepare(
    'INSERT INTO api_tokens (user_id, service_id, id, hashed, prefix, client_id, session_id, created, expires_at, last_activity, note, scopes) VALUES (?, NULL, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)',
  );
  const insertUserRole = db.prepare(
    `INSERT INTO user_role_map (user_id, role_id${managed}) VALUES (?, ?${managedValue})`,
  );
  const insertUserGroup = db.prepare('INSERT INTO user_group_map (user_id, group_id) VALUES (?, ?)');

  let serverId = 0;
  let spawnerId = 0;
  let clientId = 1;
  let tokenId = 0;
  const userIds = new Map<string, number>();
  const spawnerIds = new Map<string, number>();

  spec.users.forEach((user, index) => {
    const userId = index + 1;
    userIds.set(user.name, userId);
    const created = new Date(now.getTime() - (200 + Math.floor(random() * 400)) * DAY);
    const lastActivity =
      user.lastActivity !== undefined ? user.lastActivity : new Date(now.getTime() - Math.floor(random() * 30 * DAY));
    insertUser.run([
      userId,
      user.name,
      user.admin ? 1 : 0,
      sqlDateTime(created),
      at(lastActivity),
      `${FAKE_SECRET_MARK}-cookie-${hex(random, 20)}`,
      null,
      user.authStateBytes ? authStateBlob(random, user.authStateBytes) : null,
    ]);
    insertUserRole.run([userId, 2]);
    if (user.admin) insertUserRole.run([userId, 1]);
    for (const group of user.groups ?? []) insertUserGroup.run([userId, groupIds.get(group)!]);

    for (const server of user.servers) {
      spawnerId += 1;
      spawnerIds.set(`${user.name}\u0000${server.name}`, spawnerId);
      const state =
        server.state !== undefined
          ? server.state
          : kubeSpawnerState(user.name, server.name, namespace, server.stateBytes ?? 200 + Math.floor(random() * 16));
      const options =
        server.userOptions !== undefined ? server.userOptions : userOptions(random, server.userOptionsBytes);
      const last =
        server.lastActivity !== undefined
          ? server.lastActivity
          : server.running
            ? new Date(now.getTime() - Math.floor(random() * 3_600_000))
            : new Date(now.getTime() - (1 + Math.floor(random() * 180)) * DAY);
      let spawnerServerId: number | null = null;
      let spawnerClient: string | null = null;
      let started: Date | null = null;
      if (server.running) {
        serverId += 1;
        spawnerServerId = server.serverMissing ? 1_000_000_000 + serverId : serverId;
        started = new Date((last ?? now).getTime() - Math.floor(random() * 8 * 3_600_000));
        const path = `/user/${encodeURIComponent(user.name)}/${server.name ? `${encodeURIComponent(server.name)}/` : ''}`;
        if (!server.serverMissing)
          insertServer.run([
            serverId,
            'http',
            `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
            8888,
            path,
            `jupyterhub-user-${encodeURIComponent(user.name)}`,
          ]);
        clientId += 1;
        spawnerClient = `jupyterhub-user-${encodeURIComponent(user.name)}${server.name ? `-${encodeURIComponent(server.name)}` : ''}`;
        insertClient.run([
          clientId,
          spawnerClient,
          `Server at ${path}`,
          fakeHash(random),
          `${path}oauth_callback`,
          '[]',
        ]);
        tokenId += 1;
        insertToken.run([
          userId,
          tokenId,
          fakeHash(random),
          hex(random, 4),
          spawnerClient,
          sqlDateTime(started),
          null,
          at(last),
          `Server at ${path}`,
          JSON.stringify(['inherit']),
        ]);
      }
      const values = [
        spawnerId,
        userId,
        spawnerServerId,
        state,
        server.name,
        at(started),
        at(last),
        options,
        spawnerClient,
      ];
      if (version === '6.x') values.push(server.displayName ?? null);
      insertSpawner.run(values);
    }
  });

  for (let i = 0; i < (spec.orphanServers ?? 0); i++) {
    serverId += 1;
    insertServer.run([serverId, 'http', '10.0.0.1', 8888, `/user/gone-${i}/`, 'jupyterhub-user-gone']);
  }

  for (const token of spec.tokens ?? []) {
    tokenId += 1;
    insertToken.run([
      userIds.get(token.user) ?? null,
      tokenId,
      fakeHash(random),
      hex(random, 4),
      'jupyterhub',
      sqlDateTime(new Date(now.getTime() - 90 * DAY)),
      at(token.expiresAt ?? null),
      null,
      token.note ?? 'Requested via token page',
      JSON.stringify(['inherit']),
    ]);
  }

  (spec.oauthCodes ?? []).forEach((code, i) =>
    db.run(
      "INSERT INTO oauth_codes (id, client_id, code, expires_at, redirect_uri, session_id, user_id, scopes) VALUES (?, 'jupyterhub', ?, ?, '/hub/oauth_callback', ?, ?, '[]')",
      [
        i + 1,
        `${FAKE_SECRET_MARK}-${hex(random, 24)}`,
        Math.floor(code.expiresAt.getTime() / 1000),
        hex(random, 32),
        userIds.get(code.user) ?? null,
      ],
    ),
  );

  if (v5) {
    (spec.shareCodes ?? []).forEach((code, i) =>
      db.run(
        'INSERT INTO share_codes (id, created_at, owner_id, spawner_id, scopes, expires_at, hashed, prefix, exchange_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)',
        [
          i + 1,
          sqlDateTime(now),
          userIds.get(code.user) ?? null,
          spawnerIds.get(`${code.user}\u0000${code.server}`) ?? null,
          JSON.stringify([`access:servers!server=${code.user}/${code.server}`]),
          sqlDateTime(new Date(now.getTime() + DAY)),
          fakeHash(random),
          hex(random, 4),
        ],
      ),
    );
    (spec.shares ?? []).forEach((share, i) =>
      db.run(
        'INSERT INTO shares (id, created_at, owner_id, spawner_id, scopes, expires_at, user_id, group_id) VALUES (?, ?, ?, ?, ?, NULL, ?, NULL)',
        [
          i + 1,
          sqlDateTime(now),
          userIds.get(share.owner) ?? null,
          spawnerIds.get(`${share.owner}\u0000${share.server}`) ?? null,
          JSON.stringify([`access:servers!server=${share.owner}/${share.server}`]),
          userIds.get(share.with) ?? null,
        ],
      ),
    );
  }

  for (const statement of [
    insertUser,
    insertServer,
    insertSpawner,
    insertClient,
    insertToken,
    insertUserRole,
    insertUserGroup,
  ])
    statement.free();
  db.run('COMMIT');
}

// ---------------------------------------------------------------------------------------------------
// Calibration shapes (docs/jupyterhub-startup.md): 200 ordinary users, 15% with named servers,
// plus one stress user with S named servers of which R run.

export interface CalibrationShapeOptions {
  /** Named servers of the stress user (S). */
  stressServers: number;
  /** How many of them run (R). */
  stressRunning: number;
  /** Ordinary users besides the stress user; default 200. */
  ordinaryUsers?: number;
  /** Share of ordinary users with named servers; default 0.15. */
  namedFraction?: number;
  /** Share of ordinary users with a running server; default 0.17. */
  runningFraction?: number;
  /** auth_state blob size for every user; default none. */
  authStateBytes?: number;
  seed?: number;
  version?: HubDbVersion;
}

/** The facts' calibration population; the stress user owns named servers only (no default server). */
export function calibrationShape(options: CalibrationShapeOptions): HubDbSpec {
  const random = seededRandom(options.seed ?? 42);
  const ordinary = options.ordinaryUsers ?? 200;
  const namedFraction = options.namedFraction ?? 0.15;
  const runningFraction = options.runningFraction ?? 0.17;
  const users: UserSpec[] = [];
  for (let i = 1; i <= ordinary; i++) {
    const servers: ServerSpec[] = [{ name: '', running: false }];
    if (random() < namedFraction) {
      const named = 1 + Math.floor(random() * 3);
      for (let n = 1; n <= named; n++) servers.push({ name: `srv-${n}`, running: false });
    }
    if (random() < runningFraction) {
      servers[Math.floor(random() * servers.length)]!.running = true;
      // Some people with named servers run two at once.
      if (servers.length > 1 && random() < 0.3) servers.find((s) => !s.running)!.running = true;
    }
    users.push({
      name: `user-${String(i).padStart(4, '0')}`,
      admin: i <= 2,
      authStateBytes: options.authStateBytes,
      groups: random() < 0.1 ? ['course-a'] : [],
      servers,
    });
  }
  const stress: ServerSpec[] = [];
  for (let n = 1; n <= options.stressServers; n++)
    stress.push({ name: `srv-${String(n).padStart(5, '0')}`, running: n <= options.stressRunning });
  users.push({ name: 'stress-user', authStateBytes: options.authStateBytes, groups: ['course-a'], servers: stress });
  return { version: options.version ?? '5.x', users, seed: options.seed ?? 42 };
}

/** Builds a calibration-shaped DB (see calibrationShape). */
export function buildCalibrationDb(options: CalibrationShapeOptions): Promise<Uint8Array> {
  return buildHubDb(calibrationShape(options));
}
