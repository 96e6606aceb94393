/**
 * The cost model: how much memory and CPU the start-up statements take, from their row counts and row
 * widths. Calibrated on the measurements in docs/jupyterhub-startup.md (JupyterHub's real ORM and
 * query on generated DBs; SQLAlchemy 1.4 and 2.0; Python 3.11; 2 cores).
 *
 * Memory. Python materialises every row the statement returns (the 5.0–5.3 loop calls `.all()`): each
 * cell is a Python object, and text/blob cells also carry their bytes. So
 *
 *   bytes = rows × cells × BYTES_PER_CELL + PAYLOAD_FACTOR × payload bytes
 *
 * where `cells` is the number of selected columns (38 for the 5.x join: users 8, spawners 9 twice,
 * servers 6 twice) and `payload` the summed text/blob lengths the rows carry (computed per DB in closed
 * form, see dbStats.ts). PAYLOAD_FACTOR 1.3 is the facts' "a blob in encrypted_auth_state adds about its
 * own size (up to ~1.3×) to every row": we take the top of that range so the verdict errs towards OOM.
 * BYTES_PER_CELL then follows from the two large calibration cases (5.0–5.1 KiB per row at a payload of
 * ~666 bytes a row, measured on this project's replica of the calibration DBs).
 *
 * CPU. The 5.0–5.3 loop's CPU grows faster than its rows (cyclic GC walks every live object; the facts
 * measured exponents 2.1–2.4 against 2.0 for rows), so the cost per row grows with the log of the rows:
 *
 *   µs per row = CPU_5053_A + CPU_5053_B × ln(rows)     (least squares on the SQLAlchemy 1.4 runs)
 *
 * SQLAlchemy 2.0 ran 10–20% faster on the big cases; 1.4 is kept as the (pessimistic) model.
 * The linear forms: 5.4.3+ costs CPU_LINEAR_ROW per row plus the per-user dict rebuilt on every
 * `user.spawners[name]` (CPU_DICT_ENTRY per Σ running×spawners entry); 5.4.0–5.4.2 and 4.x each have a
 * single measurement, so their constants reproduce it exactly and are otherwise unvalidated.
 *
 * Errors on the calibration cases (`calibrationReport()` recomputes them; the unit tests hold them):
 *
 * | case       | form        | rows, total rows, statements | CPU error (SQLAlchemy 1.4 / 2.0) | memory Δ (predicted vs measured) |
 * |------------|-------------|------------------------------|----------------------------------|----------------------------------|
 * | scale-100  | 5.3.0       | exact                        | +4% / +8%                        | 25 vs 19–21 MiB (+4–6 MiB)       |
 * | scale-300  | 5.3.0       | exact                        | −2% / +17%                       | 223 vs 214 MiB (+4%)             |
 * | scale-1000 | 5.3.0       | exact                        | +2% / +15%                       | 2,479 vs 2,468 MiB (+0.4%)       |
 * | incident   | 5.3.0       | exact                        | −1% / +24%                       | 5,205 vs 5,190 MiB (+0.3%)       |
 * | all four   | 5.4.3       | exact                        | −34% (10 ms) … +0.4%             | 0.5–4.8 vs 0–2 MiB (≤ 3.4 MiB)   |
 * | incident   | 5.4.0/4.1.6 | exact                        | 0% (fitted on this one point)    | 3.7 vs 0 MiB                     |
 *
 * The 5.4.3+ dict term is fitted on the calibration cases (0.3 µs per entry, as the facts say); the facts'
 * own extrapolation of "~30 s at 10,000 spawners / 5,000 running" is twice what it gives (15 s), so for
 * very large Σ running×spawners read the 5.4.3+ time as a lower bound.
 *
 * Small cases are noisy in absolute terms (RSS grows in arenas), so their relative memory error is
 * large while the absolute one is a few MiB. CPU varies ±10–20% between runs on shared machines.
 */

/** Python object cost of one selected cell (object header, tuple slot, row bookkeeping), in bytes. */
export const BYTES_PER_CELL = 114;
/** Multiplier on the text/blob bytes the rows carry (Python str/bytes payload plus parsing). */
export const PAYLOAD_FACTOR = 1.3;

/** 5.0–5.3 CPU per main row: CPU_5053_A + CPU_5053_B × ln(rows) microseconds. */
export const CPU_5053_A = 4.66;
export const CPU_5053_B = 3.427;
/** Linear forms: CPU per row loaded (microseconds). */
export const CPU_LINEAR_ROW = 54.5;
/** 5.4.3+: the per-user spawner dict rebuilt per lookup, per Σ running×spawners entry (microseconds). */
export const CPU_DICT_ENTRY = 0.3;
/** 5.4.0–5.4.2: CPU per row loaded (one measurement: incident, 1,541 rows in 0.225 s). */
export const CPU_EAGER_ROW = 146;
/** 4.x: CPU per statement of its N+1 loads (one measurement: incident, 809 statements in 0.70 s). */
export const CPU_LAZY_STATEMENT = 659;

/**
 * A running hub's own memory before the start-up query's peak: Python, Tornado, traitlets config,
 * KubeSpawner's pod and event reflectors, the proxy's route table and Prometheus metrics. The facts'
 * bare ORM process sat at 65–70 MiB; a running z2jh hub is typically a few hundred MiB, so we take
 * 256 MiB. It is added to every predicted peak; the 'tight' band (70% of the limit) absorbs the rest.
 */
export const HUB_BASELINE_BYTES = 256 * 1024 * 1024;

/** A hub whose predicted peak is above this share of its memory limit is 'tight'. */
export const TIGHT_FRACTION = 0.7;

/** SQLAlchemy's selectin loader puts at most this many keys in one IN (…) statement. */
export const SELECTIN_CHUNK = 500;

/** Memory of `rows` rows of `cells` columns carrying `payload` text/blob bytes. */
export function rowsBytes(rows: number, cells: number, payload: number): number {
  return rows * cells * BYTES_PER_CELL + PAYLOAD_FACTOR * payload;
}

/** CPU seconds of the 5.0–5.3 main statement's rows. */
export function joinSeconds(rows: number): number {
  if (rows <= 0) return 0;
  return (rows * (CPU_5053_A + CPU_5053_B * Math.log(rows))) / 1e6;
}

/** How many selectin statements `keys` keys need. */
export const selectinStatements = (keys: number) => Math.ceil(keys / SELECTIN_CHUNK);
