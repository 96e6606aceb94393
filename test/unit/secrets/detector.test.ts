import assert from 'node:assert/strict';
import { columnTreatment, isSecretName, REDACTED, redactDeep, redactText } from '../../../src/core/secrets';
import { patternSourceRules } from '../../../src/core/secrets/patternSource';
import { REDACTED as PROTOCOL_REDACTED } from '../../../src/protocol/explorerProtocol';

const hex64 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('the secret detector', () => {
  it('has one marker, shared with the webviews', () => {
    assert.equal(REDACTED, '‹redacted›');
    assert.equal(PROTOCOL_REDACTED, REDACTED);
  });

  it('catches what reports missed: proxy tokens, upper-case hex, crypt keys, settings, URL passwords, GitHub, AWS, Slack', () => {
    const cases: [text: string, secret: string, kept?: string][] = [
      [`proxy token ${hex64}`, hex64, 'proxy token'],
      [`cookie secret ${hex64.toUpperCase()}`, hex64.toUpperCase(), 'cookie secret'],
      ['api token 0A1B2C3D4E5F60718293A4B5C6D7E8F9', '0A1B2C3D4E5F60718293A4B5C6D7E8F9'],
      [`JUPYTERHUB_CRYPT_KEY=${hex64}`, hex64, 'JUPYTERHUB_CRYPT_KEY='],
      ['JUPYTERHUB_CRYPT_KEY=kW3nQ8vZ2xY5pL1mR7tB0cF4hJ6gD9sA', 'kW3nQ8vZ2xY5pL1mR7tB0cF4hJ6gD9sA'],
      ['hub:\n  cookie_secret: d1e2f3a4b5c6', 'd1e2f3a4b5c6', 'cookie_secret:'],
      ['proxy:\n  secret_token: "s3cr3t-tok"', 's3cr3t-tok', 'secret_token:'],
      ['ldap passwd=hunter22 user=admin', 'hunter22', 'user=admin'],
      ['db postgres://jhub:Pg-pass-42@db:5432/jhub', 'Pg-pass-42', 'postgres://jhub:'],
      ['git https://ops:Gh-pass-43@git.example.org/r.git', 'Gh-pass-43', '@git.example.org/r.git'],
      ['gh ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'],
      [
        'github_pat_11ABCDEFG0123456789abc_0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHI',
        '0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHI',
      ],
      ['aws AKIAZ7Q3RW5TYUIP2LKJ', 'AKIAZ7Q3RW5TYUIP2LKJ'],
      ['aws_secret_access_key = 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', 'Zq8/Wm3+Tn5Yb2Lr7Kp0Vx4Hc6Jd1Fg9Sa2Qe8Nw'],
      ['AWS_SECRET_ACCESS_KEY=Zq8/Wm3+Tn5Yb2Lr7Kp0Vx4Hc6Jd1Fg9Sa2Qe8Nx', 'Zq8/Wm3+Tn5Yb2Lr7Kp0Vx4Hc6Jd1Fg9Sa2Qe8Nx'],
      ...['b', 'p', 'a', 's'].map((k): [string, string] => [
        `slack xox${k}-1234567890-1234567890123-Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7`,
        'Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7',
      ]),
    ];
    for (const [text, secret, kept] of cases) {
      const out = redactText(text);
      assert.ok(!out.includes(secret), `${text} → ${out}`);
      assert.ok(out.includes(REDACTED), out);
      if (kept) assert.ok(out.includes(kept), `${text} lost its context: ${out}`);
    }
  });

  it('catches what the explorer missed inside JSON: key names, env, strings holding settings and flags, JSON in JSON', () => {
    const cases: [text: string, secret: string, kept: string][] = [
      ['{"password": "grp-pw", "course": "PHYS 101"}', 'grp-pw', 'PHYS 101'],
      ['{"api_key": "svc-key", "owner": "ops"}', 'svc-key', 'ops'],
      ['["python3", "-m", "culler", "--api-token=svc-tok", "--timeout=3600"]', 'svc-tok', '--timeout=3600'],
      ['["python3", "--api-token", "svc-tok2", "--url", "http://hub"]', 'svc-tok2', 'http://hub'],
      ['{"pod_name": "jupyter-a", "env": {"GITHUB_PAT": "pat-x", "LANG": "C"}}', 'pat-x', 'jupyter-a'],
      ['{"cmd": "JUPYTERHUB_API_TOKEN=abc"}', 'abc', 'JUPYTERHUB_API_TOKEN='],
      ['{"args": ["--NotebookApp.token=abc"]}', 'abc', '--NotebookApp.token='],
      [JSON.stringify(JSON.stringify({ pod: 'p1', password: 'twice' })), 'twice', 'p1'],
      [JSON.stringify(JSON.stringify(JSON.stringify({ pod: 'p2', token: 'thrice' }))), 'thrice', 'p2'],
      ['{"a": {"b": [{"c": {"client_secret": "deep"}}]}}', 'deep', '"c"'],
      ['{"tok\\u0065n": "escaped-name"}', 'escaped-name', 'token'],
    ];
    for (const [text, secret, kept] of cases) {
      const out = redactText(text);
      assert.ok(!out.includes(secret), `${text} → ${out}`);
      assert.ok(out.includes(kept), `${text} lost ${kept}: ${out}`);
    }
  });

  it('leaves look-alikes readable: pod and user names, git commits in image tags, digests, UUIDs, counts', () => {
    const plain = [
      'Pod jupyter-li-wei---0a5df1f7 OOMKilled (exit code 137); 0/5 nodes are available: 5 Insufficient memory.',
      '{"pod_name": "jupyter-alice", "namespace": "hub", "dns_name": "jupyter-alice.hub.svc.cluster.local"}',
      'quay.io/jupyter/scipy-notebook:0123456789abcdef0123456789abcdef01234567',
      `lab@sha256:${hex64}`,
      'user 3f9a1c0e-7b2d-4f6a-8c0e-2b4d6f8a1c3e',
      'expired tokens: 42, secrets: 3',
      'PWD=/home/jovyan',
      'https://hub.example.org/user/alice/lab?redirects=1',
      '{"cpu": 2, "image": "r"}',
    ];
    for (const text of plain) assert.equal(redactText(text), text);
  });

  it('is idempotent, keeps the names, and fails closed on nesting too deep to walk', () => {
    const text = 'a token=abc, Authorization: token def, {"password": "x"}';
    const once = redactText(text);
    assert.equal(redactText(once), once);
    assert.equal(once, `a token=${REDACTED}, Authorization: token ${REDACTED}, {"password": "${REDACTED}"}`);
    let deep = '{"password": "nested"}';
    for (let i = 0; i < 18; i++) deep = JSON.stringify({ level: deep });
    assert.ok(!redactText(deep).includes('nested'));
  });

  it('judges names: secret columns of the schema, names that say secret, and what is not', () => {
    assert.equal(columnTreatment('api_tokens', 'hashed'), 'redact');
    assert.equal(columnTreatment('users', 'cookie_id'), 'redact');
    assert.equal(columnTreatment('oauth_codes', 'code'), 'redact');
    assert.equal(columnTreatment('spawners', 'state'), 'json');
    assert.equal(columnTreatment('groups', 'properties'), 'json');
    assert.equal(columnTreatment('services', 'command'), 'scan');
    assert.equal(columnTreatment('some_table', 'api_key'), 'redact');
    assert.equal(columnTreatment(null, 'password_hash'), 'redact');
    for (const name of ['GITHUB_PAT', 'JUPYTERHUB_CRYPT_KEY', 'cookie_secret', 'passwd', 'MYSQL_PWD', '--api-token'])
      assert.ok(isSecretName(name), name);
    for (const name of ['pod_name', 'path', 'PWD', 'tokens', 'secrets', 'cookie_name', 'client_id', 'key'])
      assert.ok(!isSecretName(name), name);
  });

  it('redacts messages deeply, but not the keys it is told to keep', () => {
    const message = { type: 'x', text: 'token=abc', nested: [{ path: '/tmp/token=abc', note: 'passwd=p' }], n: 1 };
    assert.deepEqual(redactDeep(message, new Set(['path'])), {
      type: 'x',
      text: `token=${REDACTED}`,
      nested: [{ path: '/tmp/token=abc', note: `passwd=${REDACTED}` }],
      n: 1,
    });
  });

  it("loads secretlint's recommended preset as its source of token formats", () => {
    const rules = patternSourceRules();
    for (const id of ['aws', 'github', 'slack', 'gcp', 'privatekey', 'npm', 'database-connection-string'])
      assert.ok(rules.includes(`@secretlint/secretlint-rule-${id}`), id);
  });
});
