/**
 * The redaction corpus, generated at test time: secrets in every secret-bearing column of JupyterHub's
 * schema, nested in JSON keys and values, encoded twice, on command lines, in URLs and in the common
 * token formats, each carrying a unique random part (its `needle`) so a leak is found wherever and
 * however it surfaces. Beside it, look-alikes that a useful redactor must leave readable.
 *
 *   const corpus = secretCorpus();               // deterministic for a seed
 *   const bytes = await corpus.hubDb();          // a JupyterHub 5.x DB holding all of it
 *   countLeaks(corpus.secrets, someOutput);      // 0 expected
 */
import initSqlJs from 'sql.js';
import { buildHubDb, seededRandom } from './hubDb';

export interface CorpusSecret {
  /** What kind of secret, where: `spawners.state env GITHUB_PAT`, `text: GitHub fine-grained token`. */
  kind: string;
  /** The unique random part: if any output contains it, the secret leaked. */
  needle: string;
}

/** A free text carrying one secret in context (a log line, a note, an event message). */
export interface SecretText extends CorpusSecret {
  text: string;
}

export interface SecretCorpus {
  /** Every secret, in the DB or in a text. */
  secrets: CorpusSecret[];
  /** The secrets in free texts (also stored in the DB's free-text columns). */
  texts: SecretText[];
  /** The secrets stored only in the DB's columns and JSON. */
  dbSecrets: CorpusSecret[];
  /** Texts that hold no secret and must come out unchanged (or at least with `keep` readable). */
  lookAlikes: { text: string; keep: string }[];
  /** The parts of the look-alikes that must stay readable even inside escaped Markdown. */
  lookAlikeCores: string[];
  /** A JupyterHub 5.x hub DB with every secret and look-alike in it. */
  hubDb(): Promise<Uint8Array>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64 = ALNUM + '+/';

export function secretCorpus(seed = 42): SecretCorpus {
  const random = seededRandom(seed);
  const used = new Set<string>();
  /** A random string from `alphabet`, unique in the corpus, with at least one digit when the alphabet has them. */
  const rand = (alphabet: string, length: number): string => {
    for (;;) {
      const s = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const wantsDigit = /[0-9]/.test(alphabet);
      const wantsLetter = /[a-f]/i.test(alphabet);
      if (wantsDigit && !/[0-9]/.test(s)) continue;
      if (wantsLetter && !/[a-z]/i.test(s)) continue;
      if (used.has(s)) continue;
      used.add(s);
      return s;
    }
  };

  const texts: SecretText[] = [];
  const text = (kind: string, needle: string, carrier: (n: string) => string) =>
    texts.push({ kind: `text: ${kind}`, needle, text: carrier(needle) });

  // JupyterHub's own secrets, as they show up in configs, env dumps and logs.
  text('32-hex API token', rand(HEX, 32), (n) => `used token ${n} from the admin page`);
  text('64-hex proxy token', rand(HEX, 64), (n) => `proxy auth token is ${n}`);
  text('upper-case 64-hex', rand(HEX, 64).toUpperCase(), (n) => `hub.cookieSecret ${n}`);
  text('JUPYTERHUB_CRYPT_KEY (hex)', rand(HEX, 64), (n) => `JUPYTERHUB_CRYPT_KEY=${n}`);
  text('JUPYTERHUB_CRYPT_KEY (base64)', rand(ALNUM, 43), (n) => `export JUPYTERHUB_CRYPT_KEY=${n}=`);
  text('cookie_secret: (YAML)', rand(ALNUM, 20), (n) => `hub:\n  cookie_secret: ${n}\n  db: sqlite`);
  text('secret_token: (YAML)', rand(ALNUM, 20), (n) => `proxy:\n  secret_token: "${n}"`);
  text('passwd=', rand(ALNUM, 14), (n) => `ldap bind passwd=${n} user=cn=admin`);
  text('python config cookie_secret', rand(ALNUM, 24), (n) => `c.JupyterHub.cookie_secret = b'${n}'`);
  text('Authorization: token', rand(ALNUM, 24), (n) => `curl -H "Authorization: token ${n}" https://hub/hub/api/users`);
  text('Authorization: Bearer', rand(ALNUM, 30), (n) => `Authorization: Bearer ${n}`);
  text('Cookie header', rand(ALNUM, 22), (n) => `Cookie: jupyterhub-session-id=${n}; _xsrf=2|abc`);
  text('token in URL query', rand(ALNUM, 20), (n) => `GET /hub/api/users?token=${n} 403`);
  text('password in postgres URL', rand(ALNUM, 16), (n) => `db url postgres://jhub:${n}@db:5432/jhub`);
  text('password in https URL', rand(ALNUM, 16), (n) => `cloning https://ops:${n}@git.example.org/repo.git`);
  text('--NotebookApp.token=', rand(ALNUM, 24), (n) => `jupyterhub-singleuser --NotebookApp.token=${n} --port=8888`);
  text('--api-token value', rand(ALNUM, 24), (n) => `python3 -m culler --api-token ${n} --timeout=3600`);
  text('--ServerApp.password=', rand(ALNUM, 18), (n) => `--ServerApp.password='${n}'`);
  text('GITHUB_PAT= (env)', rand(ALNUM, 18), (n) => `env GITHUB_PAT=${n} git push`);
  text('JUPYTERHUB_API_TOKEN= (env)', rand(ALNUM, 18), (n) => `JUPYTERHUB_API_TOKEN=${n}`);
  text('MYSQL_PWD= (env)', rand(ALNUM, 16), (n) => `MYSQL_PWD=${n} mysql -u hub`);
  text('JSON in a log line', rand(ALNUM, 20), (n) => `oauth callback got {"client_secret": "${n}", "ok": true}`);
  text('escaped JSON in a log line', rand(ALNUM, 20), (n) => `payload="{\\"password\\": \\"${n}\\"}"`);
  text('JupyterHub hash', rand(HEX, 40), (n) => `api_tokens.hashed = sha512:16384:9b1e7c5a3f:${n}`);
  text('JWT', rand(ALNUM, 40), (n) => `service account eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJodWIifQ.${n}`);
  text(
    'PEM private key',
    rand(B64, 64),
    (n) => `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA${n}\n-----END RSA PRIVATE KEY-----`,
  );
  text('kubeconfig client-key-data', rand(ALNUM, 40), (n) => `client-key-data: LS0tLS1CRUdJTiBSU0Eg${n}`);
  // Other services' token formats (secretlint's preset, and xoxs from the JupyterHub rules).
  text('GitHub classic token', rand(ALNUM, 36), (n) => `gh auth ghp_${n}`);
  text('GitHub OAuth token', rand(ALNUM, 36), (n) => `token gho_${n} expired`);
  text('GitHub fine-grained token', `${rand(ALNUM, 22)}_${rand(ALNUM, 59)}`, (n) => `github_pat_${n}`);
  text('AWS access key id', rand(UPPER, 16), (n) => `aws key AKIA${n}`);
  text('AWS secret key (env)', rand(B64, 40), (n) => `AWS_SECRET_ACCESS_KEY=${n}`);
  text('AWS secret key (ini)', rand(B64, 40), (n) => `aws_secret_access_key = ${n}`);
  for (const kind of ['xoxb', 'xoxp', 'xoxa', 'xoxs'])
    text(`Slack ${kind}`, rand(ALNUM, 24), (n) => `slack ${kind}-1234567890-1234567890123-${n}`);
  text('GitLab token', rand(ALNUM, 20), (n) => `glpat-${n}`);
  text('npm token', rand(ALNUM, 36), (n) => `//registry.npmjs.org/:_authToken=npm_${n}`);
  text('Hugging Face token', rand(LETTERS, 34), (n) => `HF hf_${n}`);
  text('Stripe key', rand(ALNUM, 32), (n) => `stripe sk_live_${n}`);

  // Secrets stored in the DB's structure (not free text): whole columns and JSON.
  const dbSecrets: CorpusSecret[] = [];
  const secret = (kind: string, needle: string) => {
    dbSecrets.push({ kind, needle });
    return needle;
  };
  const columns = {
    tokenHash: secret('api_tokens.hashed', rand(HEX, 64)),
    tokenSession: secret('api_tokens.session_id', rand(ALNUM, 24)),
    clientSecret: secret('oauth_clients.secret', rand(HEX, 48)),
    code: secret('oauth_codes.code', rand(ALNUM, 30)),
    codeSession: secret('oauth_codes.session_id', rand(ALNUM, 24)),
    authState: secret('users.encrypted_auth_state (blob)', rand(ALNUM, 32)),
    cookieId: secret('users.cookie_id', rand(HEX, 32)),
    shareHash: secret('share_codes.hashed', rand(HEX, 48)),
    serviceEnv: secret('services.environment', rand(ALNUM, 24)),
    stateEnv: secret('spawners.state env GITHUB_PAT', rand(ALNUM, 24)),
    stateOldToken: secret('spawners.state api_token (JupyterHub < 0.8)', rand(HEX, 32)),
    stateEnvString: secret('spawners.state "JUPYTERHUB_API_TOKEN=…" string', rand(ALNUM, 20)),
    stateFlagString: secret('spawners.state "--NotebookApp.token=…" string', rand(ALNUM, 20)),
    stateArgv: secret('spawners.state ["--api-token", "…"] argv', rand(ALNUM, 20)),
    stateDeep: secret('spawners.state nested 4 deep client_secret', rand(ALNUM, 20)),
    stateDouble: secret('spawners.state JSON encoded twice', rand(ALNUM, 20)),
    stateTriple: secret('spawners.state JSON encoded three times', rand(ALNUM, 20)),
    stateKeyToken: secret('spawners.state token as a JSON key', rand(ALNUM, 36)),
    stateUrl: secret('spawners.state postgres URL value', rand(ALNUM, 16)),
    userOptions: secret('spawners.user_options password', rand(ALNUM, 16)),
    userState: secret('users.state access_token', rand(ALNUM, 24)),
    groupPassword: secret('groups.properties password', rand(ALNUM, 16)),
    serviceInfo: secret('services.info api_key', rand(ALNUM, 24)),
    serviceCommand: secret('services.command --api-token=', rand(ALNUM, 24)),
    serviceUrl: secret('services.url password', rand(ALNUM, 16)),
    redirect: secret('oauth_clients.redirect_uri ?token=', rand(ALNUM, 20)),
    deleted: secret('a token the hub deleted (free page)', rand(ALNUM, 24)),
  };

  const lookAlikes = [
    'jupyter-li-wei---0a5df1f7',
    'jupyter-user-1999--srv-999999.jupyterhub-research-computing.svc.cluster.local',
    'quay.io/jupyter/scipy-notebook:0123456789abcdef0123456789abcdef01234567',
    'image ghcr.io/org/lab@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
    'user 3f9a1c0e-7b2d-4f6a-8c0e-2b4d6f8a1c3e logged in',
    'Pod jupyter-alice OOMKilled (exit code 137); 0/5 nodes are available: 5 Insufficient memory.',
    'expired tokens: 42, secrets: 3 (named_server_limit_per_user = 10)',
    'JupyterHub 5.3.0 at 10.0.3.17:8081, memory 1.9Gi of 2Gi',
    'https://hub.example.org/user/alice/lab?redirects=1',
    'the key to this incident was the O(N²) join',
  ].map((t) => ({ text: t, keep: t }));

  const hubDb = async (): Promise<Uint8Array> => {
    const SQL = await initSqlJs();
    const db = new SQL.Database(
      await buildHubDb({
        users: [
          { name: 'alice', groups: ['physics'], servers: [{ name: '', running: true }] },
          { name: 'li-wei', servers: [{ name: 'gpu', running: false }] },
        ],
        tokens: [{ user: 'alice' }],
        oauthCodes: [{ user: 'alice', expiresAt: new Date('2025-06-01T13:00:00Z') }],
        shareCodes: [{ user: 'alice', server: '' }],
      }),
    );
    const run = (sql: string, params: (string | number | Uint8Array | null)[] = []) => db.run(sql, params);
    const c = columns;
    // Whole-value secret columns.
    run('UPDATE api_tokens SET hashed = ?, session_id = ? WHERE id = (SELECT min(id) FROM api_tokens)', [
      `sha512:16384:${'a1'.repeat(8)}:${c.tokenHash}`,
      c.tokenSession,
    ]);
    run("UPDATE oauth_clients SET secret = ?, redirect_uri = ? WHERE identifier = 'jupyterhub'", [
      c.clientSecret,
      `https://hub.example.org/hub/oauth_callback?token=${c.redirect}`,
    ]);
    run('UPDATE oauth_codes SET code = ?, session_id = ?', [c.code, c.codeSession]);
    run("UPDATE users SET encrypted_auth_state = ?, cookie_id = ?, state = ? WHERE name = 'alice'", [
      new TextEncoder().encode(`gAAAAAB-fernet-${c.authState}`),
      c.cookieId,
      JSON.stringify({ access_token: c.userState, last_login: '2025-06-01' }),
    ]);
    run('UPDATE share_codes SET hashed = ?', [`sha512:1:${'b2'.repeat(8)}:${c.shareHash}`]);
    // Services: environment (whole), info and command (JSON), url.
    run("UPDATE services SET environment = ?, info = ?, command = ?, url = ? WHERE name = 'jupyterhub-idle-culler'", [
      JSON.stringify({ CULLER_DB_PASSWORD: c.serviceEnv, TZ: 'UTC' }),
      JSON.stringify({ api_key: c.serviceInfo, owner: 'ops', docs: 'https://example.org/culler' }),
      JSON.stringify(['python3', '-m', 'jupyterhub_idle_culler', `--api-token=${c.serviceCommand}`, '--timeout=3600']),
      `http://culler:${c.serviceUrl}@127.0.0.1:10101`,
    ]);
    run("UPDATE groups SET properties = ? WHERE name = 'physics'", [
      JSON.stringify({ password: c.groupPassword, course: 'PHYS 101' }),
    ]);
    // Spawner state and options: keys, string values, argv, deep nesting, JSON in JSON, a token as a key.
    const state = {
      pod_name: 'jupyter-alice',
      namespace: 'jupyterhub-research-computing',
      dns_name: 'jupyter-alice.jupyterhub-research-computing.svc.cluster.local',
      api_token: c.stateOldToken,
      env: { GITHUB_PAT: c.stateEnv, LANG: 'C.UTF-8' },
      cmd: `JUPYTERHUB_API_TOKEN=${c.stateEnvString}`,
      args: [`--NotebookApp.token=${c.stateFlagString}`, '--ip=0.0.0.0'],
      argv: ['jupyterhub-singleuser', '--api-token', c.stateArgv],
      extra: { a: { b: [{ c: { client_secret: c.stateDeep } }] } },
      double: JSON.stringify({ pod: 'p', password: c.stateDouble }),
      triple: JSON.stringify(JSON.stringify({ deep: { auth_token: c.stateTriple } })),
      [`ghp_${c.stateKeyToken}`]: true,
      db: `postgres://jhub:${c.stateUrl}@db:5432/jhub`,
    };
    run("UPDATE spawners SET state = ?, user_options = ? WHERE name = ''", [
      JSON.stringify(state),
      JSON.stringify({
        image: 'quay.io/jupyter/scipy-notebook:0123456789abcdef0123456789abcdef01234567',
        password: c.userOptions,
      }),
    ]);
    // Free texts: every text secret in a note of its own (api_tokens.note is shown as is), and the
    // look-alikes in group names' properties and spawner names.
    texts.forEach((t, i) =>
      run("INSERT INTO api_tokens (id, user_id, hashed, prefix, note, scopes) VALUES (?, 1, ?, 'abcd', ?, '[]')", [
        10_000 + i,
        `sha512:1:${'c3'.repeat(8)}:${i}`,
        t.text,
      ]),
    );
    lookAlikes.forEach((l, i) =>
      run('INSERT INTO groups (id, name, properties) VALUES (?, ?, ?)', [
        100 + i,
        `look-${i}`,
        JSON.stringify({ description: l.text }),
      ]),
    );
    // What the hub deleted before the snapshot stays in the file's free space until a VACUUM.
    run("INSERT INTO oauth_codes (id, client_id, code, session_id) VALUES (9000, 'jupyterhub', 'x', ?)", [c.deleted]);
    run('DELETE FROM oauth_codes WHERE id = 9000');
    const bytes = db.export();
    db.close();
    return bytes;
  };

  const lookAlikeCores = [
    'jupyter-li-wei---0a5df1f7',
    'jupyter-user-1999--srv-999999',
    '0123456789abcdef0123456789abcdef01234567',
    '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
    '3f9a1c0e-7b2d-4f6a-8c0e-2b4d6f8a1c3e',
    '10.0.3.17:8081',
    'OOMKilled (exit code 137)',
  ];
  return { secrets: [...dbSecrets, ...texts], texts, dbSecrets, lookAlikes, lookAlikeCores, hubDb };
}

/**
 * The secrets whose needle shows in `output` (or in a blob's hex or base64 there): each is a leak.
 * Needles are letters and digits only, so escaping (JSON, CSV, Markdown) cannot hide them.
 */
export function leaksIn(secrets: readonly CorpusSecret[], output: string): CorpusSecret[] {
  const hex = output.toLowerCase();
  return secrets.filter((s) => {
    if (output.includes(s.needle)) return true;
    if (hex.includes(Buffer.from(s.needle).toString('hex'))) return true;
    // A blob exported as base64 holds the needle at one of three alignments.
    return [0, 1, 2].some((shift) => {
      const encoded = Buffer.from('x'.repeat(shift) + s.needle).toString('base64');
      return output.includes(encoded.slice(Math.ceil((shift * 4) / 3) + 1, -4));
    });
  });
}
