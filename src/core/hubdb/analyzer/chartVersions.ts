import { parseJupyterHubVersion } from './versionFamilies';

/**
 * Zero to JupyterHub chart releases and the JupyterHub each ships (docs/z2jh.md), for
 * "the smallest upgrade that removes the O(N²) join" in chart terms.
 */
export const Z2JH_CHARTS: readonly { chart: string; jupyterhub: string }[] = [
  ...['3.0.0', '3.0.1', '3.0.2', '3.0.3', '3.1.0', '3.2.0', '3.2.1'].map((chart) => ({ chart, jupyterhub: '4.0.2' })),
  ...['3.3.0', '3.3.1', '3.3.2'].map((chart) => ({ chart, jupyterhub: '4.1.0' })),
  { chart: '3.3.3', jupyterhub: '4.1.1' },
  { chart: '3.3.4', jupyterhub: '4.1.2' },
  { chart: '3.3.5', jupyterhub: '4.1.3' },
  { chart: '3.3.6', jupyterhub: '4.1.4' },
  { chart: '3.3.7', jupyterhub: '4.1.5' },
  { chart: '3.3.8', jupyterhub: '4.1.6' },
  { chart: '4.0.0', jupyterhub: '5.2.1' },
  { chart: '4.1.0', jupyterhub: '5.2.1' },
  { chart: '4.2.0', jupyterhub: '5.3.0' },
  { chart: '4.3.0', jupyterhub: '5.4.0' },
  { chart: '4.3.1', jupyterhub: '5.4.1' },
  { chart: '4.3.2', jupyterhub: '5.4.3' },
  { chart: '4.3.3', jupyterhub: '5.4.4' },
  { chart: '4.3.4', jupyterhub: '5.4.5' },
  { chart: '4.3.5', jupyterhub: '5.4.6' },
  { chart: '4.4.0', jupyterhub: '5.5.0' },
];

const key = (text: string) => {
  const v = parseJupyterHubVersion(text);
  return v ? v.major * 1e8 + v.minor * 1e4 + v.patch : -1;
};

/** The JupyterHub a chart version ships, or null when the chart is not in the table. */
export function jupyterhubForChart(chart: string): string | null {
  const wanted = key(chart);
  return Z2JH_CHARTS.find((c) => key(c.chart) === wanted)?.jupyterhub ?? null;
}

/** The first chart that ships at least `jupyterhub` (e.g. '5.4.3' → '4.3.2'). */
export function smallestChartFor(jupyterhub: string): { chart: string; jupyterhub: string } | null {
  const wanted = key(jupyterhub);
  return Z2JH_CHARTS.find((c) => key(c.jupyterhub) >= wanted) ?? null;
}
