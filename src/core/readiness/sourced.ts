/** A value with where it came from: read from the cluster, given by the operator, or assumed (and why). */
export interface Sourced<T> {
  value: T;
  /** "Secret hub values.yaml: hub.concurrentSpawnLimit", "assumed: z2jh default (Secret hub: 403 Forbidden)". */
  source: string;
  /** true when the value is a default or a guess rather than read or given. */
  assumed: boolean;
}

export const read = <T>(value: T, source: string): Sourced<T> => ({ value, source, assumed: false });
export const assumed = <T>(value: T, source: string): Sourced<T> => ({ value, source, assumed: true });
