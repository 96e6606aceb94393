import { prometheusRuleYaml, rulePack, rulesFileYaml } from '../core/prometheus/alertRules';
import { badArguments, parseArgs, quoteArg, unknownOptions, type Subcommand } from './io';

const usage =
  'usage: hubops alerts --namespace NS[,NS…] [--jupyterhub-version X.Y.Z] [--format rules|prometheusrule] [--rule-namespace NS] [--rule-label KEY=VALUE]';

/**
 * `hubops alerts`: the alert rule pack for the named hubs, as a Prometheus rules file (default) or a
 * prometheus-operator PrometheusRule. Pure: no cluster, no Prometheus; runs on Node 20.
 */
export const alerts: Subcommand = async (args, io) => {
  const { options, positional, unknown } = parseArgs(args, {
    values: ['namespace', 'jupyterhub-version', 'format', 'rule-namespace', 'rule-label'],
  });
  const value = (name: string) => {
    const v = options.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  if (unknown.length || positional.length)
    return badArguments(io, 'alerts', `${unknownOptions([...unknown, ...positional])}; ${usage}`);
  const namespaces = (value('namespace') ?? '')
    .split(',')
    .map((ns) => ns.trim())
    .filter(Boolean);
  if (namespaces.length === 0) return badArguments(io, 'alerts', `name the hubs with --namespace NS[,NS…]; ${usage}`);
  const format = value('format') ?? 'rules';
  if (format !== 'rules' && format !== 'prometheusrule')
    return badArguments(io, 'alerts', `--format must be rules or prometheusrule, not ${quoteArg(format)}`);
  const label = value('rule-label');
  const labelMatch = label !== undefined ? /^([A-Za-z0-9./_-]+)=([A-Za-z0-9._-]*)$/.exec(label) : null;
  if (label !== undefined && !labelMatch)
    return badArguments(
      io,
      'alerts',
      `--rule-label must be KEY=VALUE (e.g. release=kube-prometheus-stack), not ${quoteArg(label)}`,
    );
  const version = value('jupyterhub-version');
  const pack = rulePack({ namespaces, ...(version !== undefined ? { jupyterhubVersion: version } : {}) });
  io.out(
    format === 'rules'
      ? rulesFileYaml(pack)
      : prometheusRuleYaml(pack, {
          ...(value('rule-namespace') !== undefined ? { namespace: value('rule-namespace')! } : {}),
          ...(labelMatch ? { labels: { [labelMatch[1]!]: labelMatch[2]! } } : {}),
        }),
  );
  return 0;
};
