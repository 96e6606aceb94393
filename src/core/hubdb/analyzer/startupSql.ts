import { tableColumns, type ReadableDb } from '../sqlRows';
import type { VersionFamilyId } from './versionFamilies';

/**
 * The SQL each version's `init_spawners` sends to SQLite, as SQLAlchemy renders it (every column
 * labelled `<table>_<column>`; selectin loads as `IN (?, ?, ?)` with up to 500 keys). The select lists
 * come from the DB's own tables, which for a hub DB are the ORM's columns.
 *
 * A statement with `keys` runs once per chunk of keys (selectin) or once per key (4.x lazy loads);
 * `withKeys` fills in real keys, so the tests can run every statement and count what SQLite returns.
 */
export interface StartupStatement {
  label: string;
  sql: string;
  /** Which keys fill the `IN (?, ?, ?)` / `?` placeholder; absent for a statement that runs once as is. */
  keys?: 'running-users' | 'loaded-groups' | 'each-server' | 'each-running-user';
}

/** The placeholder a keyed statement carries (SQLAlchemy expands it to one `?` per key). */
export const IN_KEYS = 'IN (?, ?, ?)';

export interface SchemaColumns {
  users: string[];
  spawners: string[];
  servers: string[];
  roles: string[];
  groups: string[];
  shares: string[];
}

/** JupyterHub 5.x's columns, for showing the statements without a DB. */
export const HUB_5_COLUMNS: SchemaColumns = {
  users: ['id', 'name', 'admin', 'created', 'last_activity', 'cookie_id', 'state', 'encrypted_auth_state'],
  spawners: [
    'id',
    'user_id',
    'server_id',
    'state',
    'name',
    'started',
    'last_activity',
    'user_options',
    'oauth_client_id',
  ],
  servers: ['id', 'proto', 'ip', 'port', 'base_url', 'cookie_name'],
  roles: ['id', 'name', 'description', 'scopes', 'managed_by_auth'],
  groups: ['id', 'name', 'properties'],
  shares: ['id', 'created_at', 'owner_id', 'spawner_id', 'scopes', 'expires_at', 'user_id', 'group_id'],
};

export function schemaColumns(db: ReadableDb): SchemaColumns {
  return {
    users: tableColumns(db, 'users'),
    spawners: tableColumns(db, 'spawners'),
    servers: tableColumns(db, 'servers'),
    roles: tableColumns(db, 'roles'),
    groups: tableColumns(db, 'groups'),
    shares: tableColumns(db, 'shares'),
  };
}

const id = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
const select = (alias: string, columns: string[]) => columns.map((c) => `${alias}.${id(c)} AS ${id(`${alias}_${c}`)}`);

/**
 * The selectin loads 5.x adds for every loaded user and group. A DB from before 5.0 has no `shares`
 * table yet: the hub's --upgrade-db creates it (empty) before these run, so they use 5.x's columns.
 */
function sideStatements(columns: SchemaColumns): StartupStatement[] {
  const c = { ...columns, shares: columns.shares.length ? columns.shares : HUB_5_COLUMNS.shares };
  const statements: StartupStatement[] = [
    {
      label: 'User.roles (selectin)',
      sql: `SELECT users_1.id AS users_1_id, ${select('roles', c.roles).join(', ')} FROM users AS users_1 JOIN user_role_map AS user_role_map_1 ON users_1.id = user_role_map_1.user_id JOIN roles ON roles.id = user_role_map_1.role_id WHERE users_1.id ${IN_KEYS}`,
      keys: 'running-users',
    },
    {
      label: 'User.groups (selectin)',
      sql: `SELECT users_1.id AS users_1_id, ${select('groups', c.groups).join(', ')} FROM users AS users_1 JOIN user_group_map AS user_group_map_1 ON users_1.id = user_group_map_1.user_id JOIN groups ON groups.id = user_group_map_1.group_id WHERE users_1.id ${IN_KEYS}`,
      keys: 'running-users',
    },
  ];
  const sharedWithMe = (owner: 'User' | 'Group', keys: StartupStatement['keys']): StartupStatement => ({
    label: `${owner}.shared_with_me (selectin)`,
    sql: `SELECT ${select('shares', c.shares).join(', ')} FROM shares WHERE shares.${owner.toLowerCase()}_id ${IN_KEYS}`,
    keys,
  });
  statements.push(sharedWithMe('User', 'running-users'));
  statements.push({
    label: 'Group.roles (selectin)',
    sql: `SELECT groups_1.id AS groups_1_id, ${select('roles', c.roles).join(', ')} FROM groups AS groups_1 JOIN group_role_map AS group_role_map_1 ON groups_1.id = group_role_map_1.group_id JOIN roles ON roles.id = group_role_map_1.role_id WHERE groups_1.id ${IN_KEYS}`,
    keys: 'loaded-groups',
  });
  statements.push(sharedWithMe('Group', 'loaded-groups'));
  return statements;
}

/** The statements of one family, main statement first. */
export function startupStatements(family: VersionFamilyId, columns: SchemaColumns = HUB_5_COLUMNS): StartupStatement[] {
  const c = columns;
  const spawnerServerJoin = 'LEFT OUTER JOIN servers AS servers_1 ON servers_1.id = spawners.server_id';
  switch (family) {
    case '4.x':
      return [
        { label: 'Servers (main)', sql: `SELECT ${select('servers', c.servers).join(', ')} FROM servers` },
        {
          label: 'Server.spawner (lazy, once per server)',
          sql: `SELECT ${select('spawners', c.spawners).join(', ')} FROM spawners WHERE ? = spawners.server_id`,
          keys: 'each-server',
        },
        {
          label: 'Spawner.user (lazy, once per user)',
          sql: `SELECT ${select('users', c.users).join(', ')} FROM users WHERE users.id = ?`,
          keys: 'each-running-user',
        },
        {
          label: 'User._orm_spawners (lazy, once per user)',
          sql: `SELECT ${select('spawners', c.spawners).join(', ')} FROM spawners WHERE ? = spawners.user_id`,
          keys: 'each-running-user',
        },
      ];
    case '5.0-5.3':
      return [
        {
          label: 'Running spawners with joinedload(User._orm_spawners) (main, O(N²))',
          sql:
            `SELECT ${[...select('users', c.users), ...select('spawners', c.spawners), ...select('servers_1', c.servers), ...select('spawners_1', c.spawners), ...select('servers_2', c.servers)].join(', ')} ` +
            'FROM users JOIN spawners ON users.id = spawners.user_id ' +
            'LEFT OUTER JOIN spawners AS spawners_1 ON users.id = spawners_1.user_id ' +
            'LEFT OUTER JOIN servers AS servers_1 ON servers_1.id = spawners_1.server_id ' +
            'LEFT OUTER JOIN servers AS servers_2 ON servers_2.id = spawners.server_id ' +
            'WHERE spawners.server_id IS NOT NULL',
        },
        ...sideStatements(c),
      ];
    case '5.4.0-5.4.2':
      return [
        {
          label: 'Running spawners with contains_eager(User._orm_spawners) (main)',
          sql:
            `SELECT ${[...select('users', c.users), ...select('spawners', c.spawners), ...select('servers_1', c.servers)].join(', ')} ` +
            `FROM users JOIN spawners ON users.id = spawners.user_id ${spawnerServerJoin} WHERE spawners.server_id IS NOT NULL`,
        },
        ...sideStatements(c),
      ];
    case '5.4.3+':
    case '6.x':
      return [
        {
          label: 'Running spawners (main)',
          sql: `SELECT ${[...select('spawners', c.spawners), ...select('servers_1', c.servers)].join(', ')} FROM spawners ${spawnerServerJoin} WHERE spawners.server_id IS NOT NULL`,
        },
        {
          label: 'Spawner.user (selectin)',
          sql: `SELECT ${select('users', c.users).join(', ')} FROM users WHERE users.id ${IN_KEYS}`,
          keys: 'running-users',
        },
        {
          label: 'User._orm_spawners (selectin)',
          sql:
            `SELECT users_1.id AS users_1_id, ${[...select('spawners', c.spawners), ...select('servers_1', c.servers)].join(', ')} ` +
            `FROM users AS users_1 JOIN spawners ON users_1.id = spawners.user_id ${spawnerServerJoin} WHERE users_1.id ${IN_KEYS}`,
          keys: 'running-users',
        },
        ...sideStatements(c),
      ];
  }
}

/** The statement with real keys in place of its placeholder (integers only: nothing to escape). */
export function withKeys(statement: StartupStatement, keys: readonly number[]): string {
  if (!statement.keys) return statement.sql;
  const list = keys.map((k) => String(Math.trunc(Number(k)))).join(', ');
  if (statement.sql.includes(IN_KEYS)) return statement.sql.replace(IN_KEYS, `IN (${list})`);
  return statement.sql.replace('?', list);
}
