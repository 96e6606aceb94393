import { seededRandom } from './hubDb';

/**
 * Names that break URLs, shells, Python and terminals: what a hub DB may hold for users and servers
 * (JupyterHub checks server names only when `named_server_limit_per_user` is set).
 */
export const NAME_FRAGMENTS: readonly string[] = [
  // dot segments, and what a client or proxy might decode into one
  '.',
  '..',
  '...',
  '.hidden',
  'trailing.',
  '%2e',
  '%2E%2E',
  '.%2E',
  '%2e%2e%2f',
  '..%2F..',
  // percent signs and the URL's delimiters
  '%',
  '%%',
  '%25',
  '%41',
  '%zz',
  '%2F',
  '%00',
  '/',
  '//',
  'a/b',
  '/..',
  '../x',
  'x/..',
  '../../etc/passwd',
  '?',
  'a?b=c',
  '?include_stopped_servers=0',
  '#',
  'a#b',
  '&',
  '=',
  '+',
  ';',
  ';x=y',
  '@',
  ':',
  'http://evil.example/',
  '\\..\\',
  // whitespace, control, line breaks, bidi, invisible
  ' ',
  '  lead',
  'trail ',
  '\t',
  '\n',
  '\r\n',
  'a\nb',
  '\u2028',
  '\u0000',
  'a\u0000b',
  '\u0001',
  '\u001b[31mred\u001b[0m',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u202e',
  '\u202eevil\u202c',
  '\u2066x\u2069',
  '\u200b',
  '\ufeff',
  // unicode
  'ü',
  'ünïcödé-名前-🚀',
  '名前',
  '🚀',
  'e\u0301',
  'ﬁ',
  'İ',
  'ß',
  'Ａ',
  // names of the API's own path parts
  'servers',
  'server',
  'users',
  'api',
  'hub',
  'admin',
  'progress',
  'tokens',
  // shell
  '$(touch /tmp/hubops-pwned)',
  '`touch /tmp/hubops-pwned`',
  '${IFS}',
  '$HOME',
  '$1',
  "'",
  '"',
  '\\',
  '\\x41',
  "$'x'",
  '!',
  '!!',
  '*',
  '[a]',
  '{a,b}',
  '~',
  '~root',
  '|',
  '>',
  '<',
  '&&',
  ';id',
  '-rf',
  '--apply',
  '--stale-days=0',
  '-',
  '--',
  // Python
  '{0}',
  '{user}',
  '%s',
  '"""',
  "'''",
  '\\N{BULLET}',
  'f"{x}"',
  '__import__("os").system("touch /tmp/hubops-pwned")',
  '\\u0041',
  'None',
  '# comment',
  // JSON and jq
  '\\"',
  '{"remove": false}',
  '.servers',
  '$__loc__',
];

/** Long names: 5,000 characters, ASCII and not. */
export const LONG_NAMES: readonly string[] = ['x'.repeat(5000), '.'.repeat(5000), '名'.repeat(5000), '/'.repeat(5000)];

/**
 * `count` distinct hostile names, deterministic for a seed: every fragment alone, the long names, then
 * random mixes of fragments and random code points (controls, bidi, astral, combining marks).
 */
export function hostileNames(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const names = new Set<string>([...NAME_FRAGMENTS, ...LONG_NAMES]);
  const ranges: [number, number][] = [
    [0x01, 0x1f],
    [0x20, 0x7e],
    [0x7f, 0x9f],
    [0xa0, 0x2ff],
    [0x300, 0x36f],
    [0x200b, 0x206f],
    [0x4e00, 0x4fff],
    [0xfe00, 0xfeff],
    [0x1f300, 0x1f6ff],
    [0xe0000, 0xe007f],
  ];
  while (names.size < count) {
    let name = '';
    for (let parts = 1 + Math.floor(random() * 4); parts > 0; parts--) {
      if (random() < 0.6) name += pick(NAME_FRAGMENTS);
      else {
        const [low, high] = pick(ranges);
        name += String.fromCodePoint(low + Math.floor(random() * (high - low + 1)));
      }
    }
    names.add(name);
  }
  return [...names].slice(0, count);
}
