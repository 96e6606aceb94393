/**
 * The spawn queue of one hub during an event, in virtual time: attendees arrive, the hub admits spawns
 * up to its concurrency limit (429 beyond it; the user retries 30–60 s later), admitted user pods take a
 * node slot (preempting user placeholders first), wait for the cluster autoscaler when no node has room,
 * and run `spawnSeconds` after they are bound to a node. Pure and deterministic: the same model gives the
 * same curve. docs/readiness.md states the assumptions.
 */

/** What one pod asks the scheduler for. */
export interface Resources {
  memoryBytes: number;
  cpuMillis: number;
  pods: number;
}

/** A node of the user pool as the event starts: what is still free on it, and the placeholders it holds. */
export interface SimNode {
  free: Resources;
  /** This hub's user placeholders running on the node (each holds `QueueModel.placeholder`). */
  placeholders: number;
}

export interface QueueModel {
  attendees: number;
  /** Attendees arrive evenly over this many minutes; 0 = all at once. */
  arrivalMinutes: number;
  /** `concurrent_spawn_limit`: spawns pending at once; 0 = no limit. */
  spawnLimit: number;
  /** `active_server_limit`: running + pending servers; null = no limit. */
  activeServerLimit: number | null;
  /** Servers of this hub already running or pending before the event (they count against the active limit). */
  activeServersAtStart: number;
  /** From a bound pod to a running, responding server (image pull, container and server start). */
  spawnSeconds: number;
  /** A throttled user tries again after this long (JupyterHub's Retry-After is 30–60 s). */
  retrySeconds: { min: number; max: number };
  /** Requests of one user server. */
  user: Resources;
  /** Requests of one user placeholder (z2jh gives them the single-user defaults). */
  placeholder: Resources;
  /** The user pool now; null = node capacity unknown and not modelled (every admitted pod binds at once). */
  nodes: SimNode[] | null;
  /** Placeholders that exist but have no node yet. */
  pendingPlaceholders: number;
  /** What a new node of the pool offers (allocatable minus its daemon sets); null = none can be added. */
  newNode: Resources | null;
  /** The cluster autoscaler for the pool; null = the pool does not grow. */
  autoscaler: { maxNewNodes: number; scaleUpSeconds: number } | null;
  /** Stop after this many minutes (default: the arrival window + 180). */
  horizonMinutes?: number;
}

export interface CurvePoint {
  minute: number;
  /** Attendees with a running server. */
  running: number;
  /** Attendees who arrived and have no running server yet (throttled, waiting for a node, starting). */
  waiting: number;
  /** Of those, spawns admitted whose pod waits for room on a node. */
  waitingForNode: number;
}

export interface ScaleUp {
  minute: number;
  nodes: number;
  readyMinute: number;
}

export interface StartupPrediction {
  curve: CurvePoint[];
  /** Minutes from the start until the last attendee has a server; null when some never get one. */
  lastServerMinutes: number | null;
  /** Attendees with a running server when the simulation ended. */
  served: number;
  attendees: number;
  /** Attendees who saw at least one 429 (spawn limit or active-server limit). */
  usersSeeing429: number;
  /** 429 answers in all (each retry counts). */
  responses429: number;
  /** The most spawns waiting for room on a node at one time. */
  peakWaitingForNode: number;
  /** The most spawns pending at one time (what the spawn limit caps). */
  peakPendingSpawns: number;
  /** Longest time one attendee waited for a server, from arrival (null when someone never got one). */
  longestWaitMinutes: number | null;
  /** Half of the attendees who got a server waited at most this long, nine in ten at most `p90…`. */
  medianWaitMinutes: number | null;
  p90WaitMinutes: number | null;
  /** Longest time an admitted spawn was pending (what `start_timeout` is measured against). */
  longestPendingMinutes: number;
  scaleUps: ScaleUp[];
  /** Why attendees are left without a server, when some are. */
  blockedBy: 'node capacity' | 'active server limit' | null;
  /** Where the simulation stopped (minutes). */
  endMinute: number;
}

const EPS = 1e-6;

/** How many pods of `request` fit in `free` (Infinity when nothing is requested). */
export function fitCount(free: Resources, request: Resources): number {
  let n = Infinity;
  if (request.memoryBytes > 0) n = Math.min(n, Math.floor((free.memoryBytes + EPS) / request.memoryBytes));
  if (request.cpuMillis > 0) n = Math.min(n, Math.floor((free.cpuMillis + EPS) / request.cpuMillis));
  if (request.pods > 0) n = Math.min(n, Math.floor((free.pods + EPS) / request.pods));
  return Math.max(0, n);
}

const fits = (free: Resources, r: Resources) => fitCount(free, r) >= 1;
const minus = (a: Resources, b: Resources, k = 1): Resources => ({
  memoryBytes: a.memoryBytes - k * b.memoryBytes,
  cpuMillis: a.cpuMillis - k * b.cpuMillis,
  pods: a.pods - k * b.pods,
});
const plus = (a: Resources, b: Resources, k = 1) => minus(a, b, -k);

/**
 * The k-th retry delay of user i, spread over [min, max] without randomness (a low-discrepancy
 * sequence), so runs are reproducible and retries do not all land at once.
 */
function retryDelay(model: QueueModel, user: number, attempt: number): number {
  const { min, max } = model.retrySeconds;
  const frac = (user * 0.6180339887498949 + attempt * 0.4142135623730951) % 1;
  return min + (max - min) * frac;
}

type EventKind = 0 | 1 | 2; // node ready, spawn done, attempt — in this order at the same time
interface Event {
  t: number;
  kind: EventKind;
  id: number;
}

/** A binary heap of events by (time, kind, id). */
class EventQueue {
  private readonly items: Event[] = [];
  get size(): number {
    return this.items.length;
  }
  private less(a: Event, b: Event): boolean {
    return a.t !== b.t ? a.t < b.t : a.kind !== b.kind ? a.kind < b.kind : a.id < b.id;
  }
  push(e: Event): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  peek(): Event | undefined {
    return this.items[0];
  }
  pop(): Event | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  onlyAttempts(): boolean {
    return this.items.every((e) => e.kind === 2);
  }
}

/** Runs the queue and returns the start-up curve with its headline figures. */
export function simulateStartup(model: QueueModel): StartupPrediction {
  const n = Math.max(0, Math.floor(model.attendees));
  const arrivalSeconds = Math.max(0, model.arrivalMinutes) * 60;
  const horizon = (model.horizonMinutes ?? model.arrivalMinutes + 180) * 60;
  const arriveAt = Float64Array.from({ length: n }, (_, i) => (n > 1 ? (arrivalSeconds * i) / n : 0));
  const admittedAt = new Float64Array(n).fill(Infinity);
  const boundAt = new Float64Array(n).fill(Infinity);
  const runningAt = new Float64Array(n).fill(Infinity);
  const saw429 = new Uint8Array(n);
  const attempts = new Uint32Array(n);
  let responses429 = 0;

  const nodes: SimNode[] | null = model.nodes ? model.nodes.map((node) => ({ ...node, free: { ...node.free } })) : null;
  let pendingPlaceholders = Math.max(0, model.pendingPlaceholders);
  const slotsPerNewNode = model.newNode ? fitCount(model.newNode, model.user) : 0;
  // A placeholder counts for the autoscaler as this many user slots.
  const placeholderSlots = model.newNode
    ? Math.max(
        ...(['memoryBytes', 'cpuMillis'] as const).map((k) =>
          model.user[k] > 0 ? model.placeholder[k] / model.user[k] : 0,
        ),
        0,
      )
    : 0;
  let nodesInFlight = 0;
  let newNodesLeft = model.autoscaler ? Math.max(0, Math.floor(model.autoscaler.maxNewNodes)) : 0;
  const scaleUps: ScaleUp[] = [];
  const arrivals: number[] = []; // node counts of scale-ups, by event id

  let pendingSpawns = 0;
  let peakPendingSpawns = 0;
  let active = Math.max(0, model.activeServersAtStart);
  const waitingForNode: number[] = []; // FIFO of users admitted and not bound
  let head = 0;
  const queue = new EventQueue();
  for (let i = 0; i < n; i++) queue.push({ t: arriveAt[i]!, kind: 2, id: i });

  const bind = (user: number, t: number, node: SimNode | null) => {
    if (node) node.free = minus(node.free, model.user);
    boundAt[user] = t;
    queue.push({ t: t + model.spawnSeconds, kind: 1, id: user });
  };

  /** A node with room for one user, preempting as few placeholders as possible. */
  const placeFor = (): { node: SimNode; preempt: number } | null => {
    if (!nodes) return null;
    let best: { node: SimNode; preempt: number } | null = null;
    for (const node of nodes) {
      if (fits(node.free, model.user)) return { node, preempt: 0 };
      for (let k = 1; k <= node.placeholders; k++) {
        if (fits(plus(node.free, model.placeholder, k), model.user)) {
          if (!best || k < best.preempt) best = { node, preempt: k };
          break;
        }
      }
    }
    return best;
  };

  const tryBind = (user: number, t: number): boolean => {
    if (!nodes) {
      bind(user, t, null);
      return true;
    }
    const place = placeFor();
    if (!place) return false;
    if (place.preempt) {
      place.node.placeholders -= place.preempt;
      place.node.free = plus(place.node.free, model.placeholder, place.preempt);
      pendingPlaceholders += place.preempt; // the StatefulSet re-creates them, unscheduled
    }
    bind(user, t, place.node);
    return true;
  };

  const scheduleWaiting = (t: number) => {
    while (head < waitingForNode.length && tryBind(waitingForNode[head]!, t)) head++;
    // Placeholders (priority −10) only get what users leave.
    if (nodes && head === waitingForNode.length) {
      for (const node of nodes) {
        while (pendingPlaceholders > 0 && fits(node.free, model.placeholder)) {
          node.free = minus(node.free, model.placeholder);
          node.placeholders++;
          pendingPlaceholders--;
        }
      }
    }
  };

  const autoscale = (t: number) => {
    if (!model.autoscaler || !nodes || slotsPerNewNode <= 0 || newNodesLeft <= 0) return;
    const pendingSlots = waitingForNode.length - head + pendingPlaceholders * placeholderSlots;
    const uncovered = pendingSlots - nodesInFlight * slotsPerNewNode;
    if (uncovered <= EPS) return;
    const add = Math.min(newNodesLeft, Math.ceil(uncovered / slotsPerNewNode - EPS));
    if (add <= 0) return;
    newNodesLeft -= add;
    nodesInFlight += add;
    const ready = t + model.autoscaler.scaleUpSeconds;
    arrivals.push(add);
    scaleUps.push({ minute: t / 60, nodes: add, readyMinute: ready / 60 });
    queue.push({ t: ready, kind: 0, id: arrivals.length - 1 });
  };

  let lastProgress = 0;
  let t = 0;
  while (queue.size) {
    const next = queue.peek()!;
    if (next.t > horizon) break;
    // Stuck: every attendee has tried, nothing but retries is left, and a full retry round changed nothing.
    if (queue.onlyAttempts() && next.t - lastProgress > 2 * model.retrySeconds.max + 1 && next.t > arrivalSeconds)
      break;
    t = next.t;
    let admitted = false;
    let nodeArrived = false;
    while (queue.size && queue.peek()!.t === t) {
      const e = queue.pop()!;
      if (e.kind === 0) {
        const count = arrivals[e.id]!;
        nodesInFlight -= count;
        for (let k = 0; k < count; k++) nodes!.push({ free: { ...model.newNode! }, placeholders: 0 });
        nodeArrived = true;
        lastProgress = t;
      } else if (e.kind === 1) {
        pendingSpawns--;
        runningAt[e.id] = t;
        lastProgress = t;
      } else {
        const user = e.id;
        attempts[user]!++;
        const overActive = model.activeServerLimit !== null && active >= model.activeServerLimit;
        const overSpawn = model.spawnLimit > 0 && pendingSpawns >= model.spawnLimit;
        if (overActive || overSpawn) {
          saw429[user] = 1;
          responses429++;
          queue.push({ t: t + retryDelay(model, user, attempts[user]!), kind: 2, id: user });
          continue;
        }
        pendingSpawns++;
        peakPendingSpawns = Math.max(peakPendingSpawns, pendingSpawns);
        active++;
        admittedAt[user] = t;
        admitted = true;
        lastProgress = t;
        if (head < waitingForNode.length || !tryBind(user, t)) waitingForNode.push(user);
      }
    }
    if (nodeArrived) scheduleWaiting(t);
    if (admitted || nodeArrived) autoscale(t);
  }

  return summarize(model, {
    arriveAt,
    admittedAt,
    boundAt,
    runningAt,
    saw429,
    responses429,
    scaleUps,
    endSeconds: t,
    peakPendingSpawns,
  });
}

interface Trace {
  arriveAt: Float64Array;
  admittedAt: Float64Array;
  boundAt: Float64Array;
  runningAt: Float64Array;
  saw429: Uint8Array;
  responses429: number;
  scaleUps: ScaleUp[];
  endSeconds: number;
  peakPendingSpawns: number;
}

const sorted = (values: Float64Array) => Float64Array.from(values).sort();

/** How many of the sorted values are ≤ x. */
function countAtMost(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= x + EPS) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A step that keeps the curve at about 120 points or fewer. */
function resolution(endMinutes: number): number {
  for (const step of [0.25, 0.5, 1, 2, 5, 10]) if (endMinutes / step <= 120) return step;
  return 15;
}

function summarize(model: QueueModel, trace: Trace): StartupPrediction {
  const n = trace.arriveAt.length;
  let served = 0;
  let last = 0;
  const waits: number[] = [];
  let longestWait = 0;
  let longestPending = 0;
  for (let i = 0; i < n; i++) {
    const run = trace.runningAt[i]!;
    if (Number.isFinite(run)) {
      served++;
      last = Math.max(last, run);
      longestWait = Math.max(longestWait, run - trace.arriveAt[i]!);
      waits.push(run - trace.arriveAt[i]!);
      longestPending = Math.max(longestPending, run - trace.admittedAt[i]!);
    } else if (Number.isFinite(trace.admittedAt[i]!)) {
      longestPending = Math.max(longestPending, trace.endSeconds - trace.admittedAt[i]!);
    }
  }
  const everyone = served === n;
  const endMinutes = everyone ? last / 60 : Math.max(trace.endSeconds / 60, model.arrivalMinutes);
  const step = resolution(Math.max(endMinutes, 1) + 1);
  const stop = Math.ceil((endMinutes + EPS) / step) * step + step;

  const arrive = sorted(trace.arriveAt);
  const running = sorted(trace.runningAt);
  const admitted = sorted(trace.admittedAt);
  const bound = sorted(trace.boundAt);
  const curve: CurvePoint[] = [];
  for (let minute = 0; minute <= stop + EPS; minute += step) {
    const s = minute * 60;
    const r = countAtMost(running, s);
    curve.push({
      minute: round(minute),
      running: r,
      waiting: countAtMost(arrive, s) - r,
      waitingForNode: countAtMost(admitted, s) - countAtMost(bound, s),
    });
  }

  // The peak of "admitted, not bound": +1 at admission, −1 at binding; a spawn bound the moment it was
  // admitted never waited.
  const changes: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = trace.admittedAt[i]!;
    const b = trace.boundAt[i]!;
    if (Number.isFinite(a) && b > a) {
      changes.push([a, 1]);
      if (Number.isFinite(b)) changes.push([b, -1]);
    }
  }
  changes.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let level = 0;
  let peak = 0;
  for (const [, d] of changes) peak = Math.max(peak, (level += d));

  let usersSeeing429 = 0;
  for (let i = 0; i < n; i++) usersSeeing429 += trace.saw429[i]!;
  const blockedBy = everyone
    ? null
    : model.activeServerLimit !== null &&
        model.activeServersAtStart + served + countPending(trace) >= model.activeServerLimit
      ? 'active server limit'
      : 'node capacity';
  return {
    curve,
    lastServerMinutes: everyone ? round(last / 60) : null,
    served,
    attendees: n,
    usersSeeing429,
    responses429: trace.responses429,
    peakWaitingForNode: peak,
    peakPendingSpawns: trace.peakPendingSpawns,
    longestWaitMinutes: everyone ? round(longestWait / 60) : null,
    medianWaitMinutes: quantileMinutes(waits, 0.5),
    p90WaitMinutes: quantileMinutes(waits, 0.9),
    longestPendingMinutes: round(longestPending / 60),
    scaleUps: trace.scaleUps.map((s) => ({
      minute: round(s.minute),
      nodes: s.nodes,
      readyMinute: round(s.readyMinute),
    })),
    blockedBy,
    endMinute: round(endMinutes),
  };
}

function quantileMinutes(seconds: number[], q: number): number | null {
  if (!seconds.length) return null;
  const sortedWaits = [...seconds].sort((a, b) => a - b);
  return round(sortedWaits[Math.min(sortedWaits.length - 1, Math.ceil(q * sortedWaits.length) - 1)]! / 60);
}

function countPending(trace: Trace): number {
  let pending = 0;
  for (let i = 0; i < trace.admittedAt.length; i++)
    if (Number.isFinite(trace.admittedAt[i]!) && !Number.isFinite(trace.runningAt[i]!)) pending++;
  return pending;
}
