/** `pods/{name}/log`: current or previous run, tailLines, limitBytes, follow (streams later appends). */
import { queryFlag, sendStatus, type RequestContext } from '../http';
import { badRequest, notFound } from '../status';
import type { Pod } from '../wireTypes';
import { containerStatusOf, resolveContainer } from './podContainers';

function tail(text: string, lines: number): string {
  if (lines <= 0) return '';
  const parts = text.split('\n');
  const trailingNewline = parts[parts.length - 1] === '';
  if (trailingNewline) parts.pop();
  return parts.slice(-lines).join('\n') + (trailingNewline && parts.length ? '\n' : '');
}

export function serveLog(ctx: RequestContext, namespace: string, podName: string): void {
  const { url, res, cluster } = ctx;
  const pod = cluster.get<Pod>('Pod', namespace, podName);
  if (!pod) return sendStatus(res, notFound('pods', podName));
  const container = resolveContainer(pod, url.searchParams.get('container'));
  if (typeof container !== 'string') return sendStatus(res, container);
  const previous = queryFlag(url, 'previous');

  let text: string | undefined;
  if (previous) {
    text = cluster.logs.previous(namespace, podName, container);
    if (text === undefined)
      return sendStatus(res, badRequest(`previous terminated container "${container}" in pod "${podName}" not found`));
  } else {
    if (!pod.spec.nodeName) return sendStatus(res, badRequest(`pod ${podName} does not have a host assigned`));
    const status = containerStatusOf(pod, container);
    const current = cluster.logs.current(namespace, podName, container);
    const waiting = status?.state.waiting;
    // A crash-looping container still has the log of its last run; one that never started has none.
    if ((!status || (waiting && status.restartCount === 0)) && current === undefined)
      return sendStatus(
        res,
        badRequest(
          `container "${container}" in pod "${podName}" is waiting to start: ${waiting?.reason ?? 'ContainerCreating'}`,
        ),
      );
    text = current ?? '';
  }

  const tailLines = url.searchParams.get('tailLines');
  if (tailLines !== null) text = tail(text, Number(tailLines));
  const limitBytes = Number(url.searchParams.get('limitBytes') ?? '0');
  if (limitBytes > 0) text = Buffer.from(text).subarray(0, limitBytes).toString('utf8');

  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.write(text);
  if (previous || !queryFlag(url, 'follow')) {
    res.end();
    return;
  }
  res.flushHeaders();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    stopFollowing();
    unregister();
    res.end();
  };
  const stopFollowing = cluster.logs.follow(namespace, podName, container, {
    onData: (chunk) => res.write(chunk),
    onEnd: end,
  });
  const unregister = ctx.logFollows.add(end);
  ctx.req.on('close', end);
}
