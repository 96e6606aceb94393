/**
 * Puts a hub database at /srv/jupyterhub/jupyterhub.sqlite in a hub container's file tree: a copy of a
 * given file, or a small valid JupyterHub 5.x database made with the real `sqlite3` CLI.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ContainerFs } from '../containerFs';

export const hubDbPath = '/srv/jupyterhub/jupyterhub.sqlite';

/** A subset of JupyterHub 5.x's schema (alembic head 4621fec11365) with a few users and servers. */
const schema = `
PRAGMA journal_mode = DELETE;
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO alembic_version VALUES ('4621fec11365');
CREATE TABLE users (id INTEGER NOT NULL, name VARCHAR(255), admin BOOLEAN, created DATETIME, last_activity DATETIME,
  cookie_id VARCHAR(255) NOT NULL, state TEXT, encrypted_auth_state BLOB, PRIMARY KEY (id), UNIQUE (name), UNIQUE (cookie_id));
CREATE TABLE servers (id INTEGER NOT NULL, proto VARCHAR(15), ip VARCHAR(255), port INTEGER, base_url VARCHAR(255),
  cookie_name VARCHAR(255), PRIMARY KEY (id));
CREATE TABLE oauth_clients (id INTEGER NOT NULL, identifier VARCHAR(255), description VARCHAR(1023), secret VARCHAR(255),
  redirect_uri VARCHAR(1023), allowed_scopes TEXT, PRIMARY KEY (id), UNIQUE (identifier));
CREATE TABLE spawners (id INTEGER NOT NULL, user_id INTEGER, server_id INTEGER, state TEXT, name VARCHAR(255),
  started DATETIME, last_activity DATETIME, user_options TEXT, oauth_client_id VARCHAR(255), PRIMARY KEY (id),
  FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, FOREIGN KEY(server_id) REFERENCES servers (id) ON DELETE SET NULL,
  FOREIGN KEY(oauth_client_id) REFERENCES oauth_clients (identifier) ON DELETE SET NULL);
CREATE TABLE api_tokens (user_id INTEGER, service_id INTEGER, id INTEGER NOT NULL, hashed VARCHAR(255), prefix VARCHAR(16),
  client_id VARCHAR(255), session_id VARCHAR(255), created DATETIME, expires_at DATETIME, last_activity DATETIME,
  note VARCHAR(1023), scopes TEXT, PRIMARY KEY (id), UNIQUE (hashed));
CREATE TABLE roles (id INTEGER NOT NULL, name VARCHAR(255), description TEXT, scopes TEXT, managed_by_auth BOOLEAN,
  PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE groups (id INTEGER NOT NULL, name VARCHAR(255), properties TEXT, PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE user_role_map (user_id INTEGER NOT NULL, role_id INTEGER NOT NULL, PRIMARY KEY (user_id, role_id));
INSERT INTO roles VALUES (1, 'user', 'Standard user privileges', '["self"]', 0), (2, 'admin', 'Elevated privileges', '["admin-ui"]', 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
  INSERT INTO users SELECT i, 'student-' || printf('%03d', i), i = 1, '2025-05-01 09:00:00', '2025-06-02 12:00:00',
    lower(hex(randomblob(16))), '{}', NULL FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
  INSERT INTO servers SELECT i, 'http', 'jupyter-student-' || printf('%03d', i), 8888, '/user/student-' || printf('%03d', i) || '/',
    'jupyterhub-user-student-' || printf('%03d', i) FROM n;
INSERT INTO spawners (id, user_id, server_id, state, name, started, last_activity, user_options)
  SELECT id, id, CASE WHEN id <= 12 THEN id END,
    '{"pod_name": "jupyter-' || name || '", "namespace": "hub", "dns_name": "jupyter-' || name || '.hub.svc.cluster.local"}',
    '', '2025-06-02 12:00:00', '2025-06-02 12:30:00', '{}' FROM users;
INSERT INTO user_role_map SELECT id, 1 FROM users;
`;

/** Installs the hub DB into the container tree; returns its host path. */
export function installHubDb(fs: ContainerFs, sourceFile?: string): string {
  const target = fs.hostPath(hubDbPath);
  mkdirSync(dirname(target), { recursive: true });
  if (sourceFile) {
    if (!existsSync(sourceFile)) throw new Error(`hub DB file not found: ${sourceFile}`);
    copyFileSync(sourceFile, target);
  } else {
    rmSync(target, { force: true });
    execFileSync('sqlite3', [target], { input: schema, stdio: ['pipe', 'ignore', 'pipe'] });
  }
  return target;
}
