/**
 * The DDL a JupyterHub of each series leaves in its SQLite file: what SQLAlchemy's `create_all` emits for
 * `jupyterhub/orm.py` (naming convention `pk_<table>`, `uq_<table>_<column>`, `ix_<table>_<column>`,
 * foreign keys with their ON DELETE rules) plus the alembic stamp. Written from the public ORM and
 * migrations (see docs/jupyterhub-startup.md), never copied from a real hub's file.
 *
 * Series differences that matter here:
 * - 3.x (`651f5419b74d`): no `groups.properties`, no `managed_by_auth`, no sharing tables.
 * - 4.x (`0eee8c825d24`): adds `groups.properties`.
 * - 5.x (`4621fec11365`): adds `services.from_config`, `managed_by_auth` on roles and role maps, and the
 *   sharing tables `shares` and `share_codes`.
 * - 6.0 betas (`f460b0348206`): adds PKCE columns to `oauth_codes` and `spawners.display_name`.
 * `spawners.user_id` has no index in any series (the 5.0–5.3 start-up join scans for it).
 */
export type HubDbVersion = '3.x' | '4.x' | '5.x' | '6.x';

export const ALEMBIC_HEADS: Record<HubDbVersion, string> = {
  '3.x': '651f5419b74d',
  '4.x': '0eee8c825d24',
  '5.x': '4621fec11365',
  '6.x': 'f460b0348206',
};

interface TableDef {
  name: string;
  columns: string[];
  constraints: string[];
  indexes?: string[];
  since?: HubDbVersion;
}

const order: HubDbVersion[] = ['3.x', '4.x', '5.x', '6.x'];
const atLeast = (version: HubDbVersion, since: HubDbVersion) => order.indexOf(version) >= order.indexOf(since);

function tables(version: HubDbVersion): TableDef[] {
  const v5 = atLeast(version, '5.x');
  const v6 = atLeast(version, '6.x');
  const managed = v5 ? ['managed_by_auth BOOLEAN NOT NULL'] : [];
  const roleMap = (entity: 'user' | 'group' | 'service'): TableDef => ({
    name: `${entity}_role_map`,
    columns: [`${entity}_id INTEGER NOT NULL`, 'role_id INTEGER NOT NULL', ...managed],
    constraints: [
      `CONSTRAINT pk_${entity}_role_map PRIMARY KEY (${entity}_id, role_id)`,
      `CONSTRAINT fk_${entity}_role_map_${entity}_id_${entity}s FOREIGN KEY(${entity}_id) REFERENCES ${entity}s (id) ON DELETE CASCADE`,
      `CONSTRAINT fk_${entity}_role_map_role_id_roles FOREIGN KEY(role_id) REFERENCES roles (id) ON DELETE CASCADE`,
    ],
  });
  // JupyterHub's `_Share` mixin: what `shares` and `share_codes` have in common.
  const shareColumns = [
    'id INTEGER NOT NULL',
    'created_at DATETIME NOT NULL',
    'owner_id INTEGER',
    'spawner_id INTEGER',
    'scopes TEXT',
    'expires_at DATETIME',
  ];
  const shareConstraints = (table: string) => [
    `CONSTRAINT pk_${table} PRIMARY KEY (id)`,
    `CONSTRAINT fk_${table}_owner_id_users FOREIGN KEY(owner_id) REFERENCES users (id) ON DELETE CASCADE`,
    `CONSTRAINT fk_${table}_spawner_id_spawners FOREIGN KEY(spawner_id) REFERENCES spawners (id) ON DELETE CASCADE`,
  ];
  const all: TableDef[] = [
    {
      name: 'alembic_version',
      columns: ['version_num VARCHAR(32) NOT NULL'],
      constraints: ['CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)'],
    },
    {
      name: 'oauth_clients',
      columns: [
        'id INTEGER NOT NULL',
        'identifier VARCHAR(255)',
        'description VARCHAR(1023)',
        'secret VARCHAR(255)',
        'redirect_uri VARCHAR(1023)',
        'allowed_scopes TEXT',
      ],
      constraints: [
        'CONSTRAINT pk_oauth_clients PRIMARY KEY (id)',
        'CONSTRAINT uq_oauth_clients_identifier UNIQUE (identifier)',
      ],
    },
    {
      name: 'servers',
      columns: [
        'id INTEGER NOT NULL',
        'proto VARCHAR(15)',
        'ip VARCHAR(255)',
        'port INTEGER',
        'base_url VARCHAR(255)',
        'cookie_name VARCHAR(255)',
      ],
      constraints: ['CONSTRAINT pk_servers PRIMARY KEY (id)'],
    },
    {
      name: 'roles',
      columns: ['id INTEGER NOT NULL', 'name VARCHAR(255)', 'description VARCHAR(1023)', 'scopes TEXT', ...managed],
      constraints: ['CONSTRAINT pk_roles PRIMARY KEY (id)', 'CONSTRAINT uq_roles_name UNIQUE (name)'],
    },
    {
      name: 'groups',
      columns: ['id INTEGER NOT NULL', 'name VARCHAR(255)', ...(atLeast(version, '4.x') ? ['properties TEXT'] : [])],
      constraints: ['CONSTRAINT pk_groups PRIMARY KEY (id)', 'CONSTRAINT uq_groups_name UNIQUE (name)'],
    },
    {
      name: 'users',
      columns: [
        'id INTEGER NOT NULL',
        'name VARCHAR(255)',
        'admin BOOLEAN',
        'created DATETIME',
        'last_activity DATETIME',
        'cookie_id VARCHAR(255) NOT NULL',
        'state TEXT',
        'encrypted_auth_state BLOB',
      ],
      constraints: [
        'CONSTRAINT pk_users PRIMARY KEY (id)',
        'CONSTRAINT uq_users_name UNIQUE (name)',
        'CONSTRAINT uq_users_cookie_id UNIQUE (cookie_id)',
      ],
    },
    {
      name: 'services',
      columns: [
        'id INTEGER NOT NULL',
        'name VARCHAR(255)',
        'admin BOOLEAN',
        'url VARCHAR(2047)',
        'oauth_client_allowed_scopes TEXT',
        'info TEXT',
        'display BOOLEAN',
        'oauth_no_confirm BOOLEAN',
        'command TEXT',
        'cwd VARCHAR(4095)',
        'environment TEXT',
        '"user" VARCHAR(255)',
        ...(v5 ? ['from_config BOOLEAN'] : []),
        '_server_id INTEGER',
        'pid INTEGER',
        'oauth_client_id VARCHAR(255)',
      ],
      constraints: [
        'CONSTRAINT pk_services PRIMARY KEY (id)',
        'CONSTRAINT uq_services_name UNIQUE (name)',
        'CONSTRAINT fk_services__server_id_servers FOREIGN KEY(_server_id) REFERENCES servers (id) ON DELETE SET NULL',
        'CONSTRAINT fk_services_oauth_client_id_oauth_clients FOREIGN KEY(oauth_client_id) REFERENCES oauth_clients (identifier) ON DELETE SET NULL',
      ],
    },
    {
      name: 'spawners',
      columns: [
        'id INTEGER NOT NULL',
        'user_id INTEGER',
        'server_id INTEGER',
        'state TEXT',
        'name VARCHAR(255)',
        'started DATETIME',
        'last_activity DATETIME',
        'user_options TEXT',
        'oauth_client_id VARCHAR(255)',
        ...(v6 ? ['display_name VARCHAR(255)'] : []),
      ],
      constraints: [
        'CONSTRAINT pk_spawners PRIMARY KEY (id)',
        'CONSTRAINT fk_spawners_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE',
        'CONSTRAINT fk_spawners_server_id_servers FOREIGN KEY(server_id) REFERENCES servers (id) ON DELETE SET NULL',
        'CONSTRAINT fk_spawners_oauth_client_id_oauth_clients FOREIGN KEY(oauth_client_id) REFERENCES oauth_clients (identifier) ON DELETE SET NULL',
      ],
    },
    {
      name: 'api_tokens',
      columns: [
        'user_id INTEGER',
        'service_id INTEGER',
        'id INTEGER NOT NULL',
        'hashed VARCHAR(255)',
        'prefix VARCHAR(16)',
        'client_id VARCHAR(255)',
        'session_id VARCHAR(255)',
        'created DATETIME',
        'expires_at DATETIME',
        'last_activity DATETIME',
        'note VARCHAR(1023)',
        'scopes TEXT',
      ],
      constraints: [
        'CONSTRAINT pk_api_tokens PRIMARY KEY (id)',
        'CONSTRAINT fk_api_tokens_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE',
        'CONSTRAINT fk_api_tokens_service_id_services FOREIGN KEY(service_id) REFERENCES services (id) ON DELETE CASCADE',
        'CONSTRAINT uq_api_tokens_hashed UNIQUE (hashed)',
        'CONSTRAINT fk_api_tokens_client_id_oauth_clients FOREIGN KEY(client_id) REFERENCES oauth_clients (identifier) ON DELETE CASCADE',
      ],
      indexes: ['CREATE INDEX ix_api_tokens_prefix ON api_tokens (prefix)'],
    },
    {
      name: 'oauth_codes',
      columns: [
        'id INTEGER NOT NULL',
        'client_id VARCHAR(255)',
        'code VARCHAR(36)',
        'expires_at INTEGER',
        'redirect_uri VARCHAR(1023)',
        'session_id VARCHAR(255)',
        'user_id INTEGER',
        'scopes TEXT',
        ...(v6 ? ['code_challenge VARCHAR(255)', 'code_challenge_method VARCHAR(64)'] : []),
      ],
      constraints: [
        'CONSTRAINT pk_oauth_codes PRIMARY KEY (id)',
        'CONSTRAINT fk_oauth_codes_client_id_oauth_clients FOREIGN KEY(client_id) REFERENCES oauth_clients (identifier) ON DELETE CASCADE',
        'CONSTRAINT fk_oauth_codes_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE',
      ],
    },
    {
      name: 'shares',
      since: '5.x',
      columns: [...shareColumns, 'user_id INTEGER', 'group_id INTEGER'],
      constraints: [
        ...shareConstraints('shares'),
        'CONSTRAINT fk_shares_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE',
        'CONSTRAINT fk_shares_group_id_groups FOREIGN KEY(group_id) REFERENCES groups (id) ON DELETE CASCADE',
      ],
    },
    {
      name: 'share_codes',
      since: '5.x',
      columns: [
        ...shareColumns,
        'hashed VARCHAR(255)',
        'prefix VARCHAR(16)',
        'exchange_count INTEGER',
        'last_exchanged_at DATETIME',
      ],
      constraints: [...shareConstraints('share_codes'), 'CONSTRAINT uq_share_codes_hashed UNIQUE (hashed)'],
      indexes: ['CREATE INDEX ix_share_codes_prefix ON share_codes (prefix)'],
    },
    roleMap('user'),
    roleMap('group'),
    roleMap('service'),
    {
      name: 'user_group_map',
      columns: ['user_id INTEGER NOT NULL', 'group_id INTEGER NOT NULL'],
      constraints: [
        'CONSTRAINT pk_user_group_map PRIMARY KEY (user_id, group_id)',
        'CONSTRAINT fk_user_group_map_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE',
        'CONSTRAINT fk_user_group_map_group_id_groups FOREIGN KEY(group_id) REFERENCES groups (id) ON DELETE CASCADE',
      ],
    },
  ];
  return all.filter((t) => !t.since || atLeast(version, t.since));
}

/** The CREATE statements (tables, then indexes) for one series, in SQLAlchemy's layout. */
export function hubSchemaDdl(version: HubDbVersion): string[] {
  const statements: string[] = [];
  for (const t of tables(version)) {
    const body = [...t.columns, ...t.constraints].map((line) => `\t${line}`).join(', \n');
    statements.push(`CREATE TABLE ${t.name} (\n${body}\n)`);
    statements.push(...(t.indexes ?? []));
  }
  return statements;
}

/** Which tables a series has (for tests that compare against what the builder produced). */
export function hubSchemaTables(version: HubDbVersion): string[] {
  return tables(version).map((t) => t.name);
}
