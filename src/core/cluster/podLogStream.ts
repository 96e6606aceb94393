/**
 * What a log tab needs from the API beyond a one-shot read: which container instance is running (restart
 * count, state, the run before it) and a follow stream (`kubectl logs -f`) through client-node's `Log`.
 */
import { StringDecoder } from 'node:string_decoder';
import { Writable, type Readable } from 'node:stream';
import { Log, type V1ContainerStatus } from '@kubernetes/client-node';
import { err, ok, type Result } from '../result';
import type { ContextClient } from './contextClient';
import type { KubeProblem } from './kubeErrors';
import { toIso } from './kubeTime';
import type { ContainerInstance, LogStream, LogStreamHandlers } from './podLogView';

function terminationOf(status: V1ContainerStatus | undefined): ContainerInstance['last'] {
  const t = status?.lastState?.terminated;
  if (!t) return null;
  return {
    reason: t.reason ?? null,
    exitCode: typeof t.exitCode === 'number' ? t.exitCode : null,
    startedAt: toIso(t.startedAt),
    finishedAt: toIso(t.finishedAt),
  };
}

/** The container's current instance from the pod's status (the pod's only or first container by default). */
export async function readContainerInstance(
  client: ContextClient,
  namespace: string,
  pod: string,
  container?: string,
): Promise<Result<ContainerInstance, KubeProblem>> {
  try {
    const object = await client.core.readNamespacedPod({ name: pod, namespace });
    const name = container ?? object.spec?.containers[0]?.name ?? '';
    const status = object.status?.containerStatuses?.find((s) => s.name === name);
    const state = status?.state;
    return ok({
      container: name,
      restartCount: status?.restartCount ?? 0,
      state: state?.running ? 'running' : state?.terminated ? 'terminated' : state?.waiting ? 'waiting' : 'unknown',
      startedAt: toIso(state?.running?.startedAt ?? state?.terminated?.startedAt),
      reason: state?.waiting?.reason ?? state?.terminated?.reason ?? null,
      containerId: status?.containerID ?? null,
      last: terminationOf(status),
    });
  } catch (error) {
    return err(client.problem(error, `read pod ${pod}`, namespace));
  }
}

/**
 * Follows a container's log (`follow=true`, the last `tailLines` first). Text arrives decoded in
 * `onData`; `onEnd` is called once, with an error message when the stream broke, and never after `stop()`.
 */
export async function followPodLog(
  client: ContextClient,
  namespace: string,
  pod: string,
  container: string,
  tailLines: number,
  handlers: LogStreamHandlers,
): Promise<Result<LogStream, KubeProblem>> {
  const decoder = new StringDecoder('utf8');
  let done = false;
  const finish = (error?: string) => {
    if (done) return;
    done = true;
    const rest = decoder.end();
    if (rest) handlers.onData(rest);
    handlers.onEnd(error);
  };
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!done) {
        const text = decoder.write(chunk);
        if (text) handlers.onData(text);
      }
      callback();
    },
    final(callback) {
      finish();
      callback();
    },
  });
  // client-node pipes the response into the sink, and pipe() does not pass the source's errors on.
  sink.on('pipe', (source: Readable) =>
    source.on('error', (error: Error) => finish(`the log stream broke: ${error.message}`)),
  );
  sink.on('error', (error: Error) => finish(error.message));
  try {
    const controller = await new Log(client.kubeConfig).log(namespace, pod, container, sink, {
      follow: true,
      tailLines,
    });
    return ok({
      stop: () => {
        done = true;
        controller.abort();
      },
    });
  } catch (error) {
    done = true;
    // client-node's Log keeps only the status code: a plain read says what the API server said.
    const read = await client.readPodLogs(namespace, pod, { container, tailLines: 1 });
    return err(read.ok ? client.problem(error, `follow the log of pod ${pod}`, namespace) : read.error);
  }
}
