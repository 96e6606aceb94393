/**
 * Token formats of other services (GitHub, GitLab, AWS, GCP, Slack, npm, OpenAI, Anthropic, Hugging Face,
 * Stripe, SendGrid, Shopify, Vault, private keys, database connection strings and about twenty more)
 * come from secretlint's recommended rule preset (@secretlint/secretlint-rule-preset-recommend, MIT):
 * maintained, versioned with the services' formats, and the preset VS Code's own packager (vsce) scans
 * extensions with. Its rules are run here directly through their public rule interface
 * (@secretlint/types), synchronously, on one text at a time; each reports ranges, and the caller hides
 * them.
 *
 * The preset is loaded on first use: the extension bundles it as a file of its own
 * (dist/secretPatterns.js, see scripts/build.mjs) so activating the extension never parses it; the CLI
 * and the SQL worker load it when they first redact.
 */
import type {
  SecretLintRuleContext,
  SecretLintRuleCreator,
  SecretLintRuleReportHandler,
  SecretLintSourceCode,
} from '@secretlint/types';

type Range = readonly [number, number];

/** Rules that do not scan text (secretlint's comment directives) or need a file on disk. */
const SKIPPED = new Set(['@secretlint/secretlint-rule-filter-comments']);
/** Options per rule: AWS access key ids (AKIA…) are off in the preset by default. */
const OPTIONS: Record<string, object> = { '@secretlint/secretlint-rule-aws': { enableIDScanRule: true } };

let scanners: { id: string; handler: SecretLintRuleReportHandler }[] | undefined;
let reported: Range[] = [];

function load(): NonNullable<typeof scanners> {
  // Loaded here rather than imported: see the header (the extension's bundle maps it to its own file).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const preset = require('@secretlint/secretlint-rule-preset-recommend') as { rules: SecretLintRuleCreator[] };
  const context: SecretLintRuleContext = {
    sharedOptions: {},
    // Only the ranges matter: a message is its id.
    createTranslator: () => (messageId, data) => ({ message: String(messageId), messageId: String(messageId), data }),
    report: (descriptor) => void reported.push([descriptor.range[0], descriptor.range[1]]),
    ignore: () => undefined,
  };
  return preset.rules
    .filter((rule) => !SKIPPED.has(rule.meta.id) && rule.meta.supportedContentTypes.some((t) => t !== 'binary'))
    .map((rule) => ({ id: rule.meta.id, handler: rule.create(context, OPTIONS[rule.meta.id] ?? {}) }));
}

/** A text as secretlint's rules see a source: no file, so rules that read files stay quiet. */
function sourceOf(content: string): SecretLintSourceCode {
  const unsupported = () => {
    throw new Error('not available when redacting a text');
  };
  return {
    hasBOM: false,
    content,
    filePath: undefined,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: '',
    getFilePath: () => undefined,
    getPhysicalFilePath: () => undefined,
    locationToRange: unsupported,
    rangeToLocation: unsupported,
    positionToIndex: unsupported,
    indexToPosition: unsupported,
  };
}

/** The ranges of `text` that the preset's rules report as secrets (unsorted, may overlap). */
export function patternSourceRanges(text: string): Range[] {
  scanners ??= load();
  reported = [];
  const source = sourceOf(text);
  for (const { id, handler } of scanners) {
    try {
      const pending = handler.file?.(source);
      // Every text rule is synchronous; one that is not (it would read a file) cannot be waited for here.
      if (pending instanceof Promise) pending.catch(() => undefined);
    } catch (error) {
      throw new Error(`secret pattern rule ${id} failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
  const found = reported;
  reported = [];
  return found;
}

/** The preset's rule ids, in order (for tests and the documentation). */
export function patternSourceRules(): string[] {
  scanners ??= load();
  return scanners.map((s) => s.id);
}
