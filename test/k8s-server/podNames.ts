/**
 * KubeSpawner's user-pod names, re-derived from its documented rules so test data looks like a real
 * cluster's: KubeSpawner 6 (z2jh 3.x) escapes with escapism, KubeSpawner 7 (z2jh 4.x) uses "safe" slugs.
 */
import { createHash } from 'node:crypto';

const lowerAlnum = /^[a-z0-9]$/;

/** escapism with safe = [a-z0-9] and escape char '-': every other byte becomes '-' + two hex digits. */
export function escapeSlug(name: string): string {
  let out = '';
  for (const ch of name) {
    if (lowerAlnum.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += '-' + byte.toString(16).padStart(2, '0');
  }
  return out.toLowerCase();
}

/** KubeSpawner 6: `jupyter-{username}--{servername}`, trailing '-' stripped for the default server. */
export function kubespawner6PodName(username: string, servername = ''): string {
  return `jupyter-${escapeSlug(username)}--${escapeSlug(servername)}`.replace(/-+$/, '');
}

const hash8 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex').slice(0, 8);

function isValidObjectName(s: string): boolean {
  return s.length >= 1 && s.length <= 63 && /^[a-z][a-z0-9-]*$/.test(s) && /[a-z0-9]$/.test(s);
}

function extractSafeName(name: string, maxLength: number): string {
  let safe = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  safe = safe.replace(/^-+/, '').slice(0, maxLength).replace(/-+$/, '');
  if (safe && !/^[a-z]/.test(safe)) safe = 'x-' + safe.slice(0, maxLength - 2);
  return safe || 'x';
}

function stripAndHash(name: string, maxLength = 32): string {
  return `${extractSafeName(name, maxLength - 11)}---${hash8(name)}`;
}

/** KubeSpawner 7's safe_slug: valid names pass through, others become `<stripped>---<8 hex of sha256>`. */
export function safeSlug(name: string, maxLength?: number): string {
  if (name.includes('--')) return stripAndHash(name, maxLength ?? 32);
  if (isValidObjectName(name) && (maxLength === undefined || name.length <= maxLength)) return name;
  return stripAndHash(name, maxLength ?? 32);
}

function multiSlug(names: string[], maxLength = 48): string {
  const hasher = createHash('sha256');
  names.forEach((n, i) => {
    if (i > 0) hasher.update(Buffer.from([0xff]));
    hasher.update(n, 'utf8');
  });
  const perName = Math.floor((maxLength - 9) / names.length) - 2;
  return `${names.map((n) => extractSafeName(n, perName)).join('--')}---${hasher.digest('hex').slice(0, 8)}`;
}

/** KubeSpawner 7's `{user_server}`: `user` or `user--server`, double-hashed when too long. */
export function safeUserServer(username: string, servername = ''): string {
  const user = safeSlug(username, 48);
  const server = servername ? safeSlug(servername, 48) : '';
  if (user.length + server.length + 2 > 48) return multiSlug([username, servername], 48);
  return servername ? `${user}--${server}` : user;
}

/** KubeSpawner 7: `jupyter-{user_server}`. */
export function kubespawner7PodName(username: string, servername = ''): string {
  return `jupyter-${safeUserServer(username, servername)}`;
}
