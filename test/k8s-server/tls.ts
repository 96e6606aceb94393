/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1/localhost, made with the
 * `openssl` CLI at start, so kubectl and client-node verify the server through
 * `certificate-authority-data` exactly as with a real cluster (kubectl sends tokens only over TLS).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** The CA certificate, base64 of its PEM: kubeconfig's certificate-authority-data. */
  caData: string;
}

export function makeCertificates(dir: string): TestCertificates {
  const file = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  /** `openssl req` that makes a new unencrypted P-256 key into `keyFile`. */
  const request = (keyFile: string, args: string[]) =>
    openssl([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      file(keyFile),
      ...args,
    ]);
  request('ca.key', [
    '-x509',
    '-out',
    file('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=hubops-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  request('server.key', ['-out', file('server.csr'), '-subj', '/CN=kube-apiserver']);
  writeFileSync(
    file('server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc',
    ].join('\n'),
  );
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.crt'),
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
  ]);
  const caCert = readFileSync(file('ca.crt'), 'utf8');
  return {
    caCert,
    serverCert: readFileSync(file('server.crt'), 'utf8'),
    serverKey: readFileSync(file('server.key'), 'utf8'),
    caData: Buffer.from(caCert).toString('base64'),
  };
}
