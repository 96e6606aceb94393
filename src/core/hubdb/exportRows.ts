/**
 * Streams query results to CSV (RFC 4180) or JSON, one row at a time with the stream's backpressure
 * respected: a million-row table never becomes one big string. Values keep their meaning: integers
 * beyond 2^53 are written exactly (bigint), blobs as hex (CSV, `\x…` as PostgreSQL writes bytea) or
 * base64 (JSON, `{"base64": …}` so they cannot be mistaken for text). The caller redacts first (see
 * redaction.ts) and owns the stream (opening, ending, closing).
 */

/** The part of a Node writable stream an export needs. */
export interface RowSink {
  write(chunk: string): boolean;
  on(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  removeListener(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
}

export type Rows = Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>;

export interface CsvOptions {
  /**
   * Prefix cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) with `'`.
   * Off by default: it changes the data. Turn it on for files that will be opened in Excel.
   */
  spreadsheetSafe?: boolean;
}

type Put = (chunk: string) => Promise<void>;

/**
 * Runs an export against a sink: `put` writes a chunk and, when the stream's buffer is full, waits for
 * 'drain'. The sink's 'error' and 'close' are watched for the whole export (not only while waiting), so
 * a failing disk rejects the export instead of crashing the process with an unhandled 'error' event.
 */
async function withSink<T>(sink: RowSink, body: (put: Put) => Promise<T>): Promise<T> {
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const onError = (error: unknown) => {
    failure ??= error instanceof Error ? error : new Error(String(error));
    wake?.();
  };
  const onClose = () => {
    failure ??= new Error('The export file was closed before the export finished.');
    wake?.();
  };
  const onDrain = () => wake?.();
  sink.on('error', onError);
  sink.on('close', onClose);
  sink.on('drain', onDrain);
  const put: Put = async (chunk) => {
    if (failure) throw failure;
    if (sink.write(chunk)) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    if (failure) throw failure;
  };
  try {
    return await body(put);
  } finally {
    sink.removeListener('error', onError);
    sink.removeListener('close', onClose);
    sink.removeListener('drain', onDrain);
  }
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function csvText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Uint8Array) return `\\x${hex(value)}`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

export function csvField(value: unknown, options: CsvOptions = {}): string {
  let text = csvText(value);
  if (options.spreadsheetSafe && typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a header line and CRLF line ends (RFC 4180). Returns the number of rows written. */
export function exportCsv(
  rows: Rows,
  columns: readonly string[],
  sink: RowSink,
  options: CsvOptions = {},
): Promise<number> {
  return withSink(sink, async (put) => {
    await put(columns.map((c) => csvField(c)).join(',') + '\r\n');
    let count = 0;
    for await (const row of rows) {
      await put(row.map((v) => csvField(v, options)).join(',') + '\r\n');
      count += 1;
    }
    return count;
  });
}

export function jsonValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array) return `{"base64":"${base64(value)}"}`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  // Exact digits: JSON numbers have no size limit, only some readers do.
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(String(value));
}

/** Object keys for the columns: a repeated name (two `id`s in a join) gets `_2`, `_3`, … */
export function uniqueKeys(columns: readonly string[]): string[] {
  const used = new Set<string>();
  return columns.map((name) => {
    let key = name;
    for (let n = 2; used.has(key); n++) key = `${name}_${n}`;
    used.add(key);
    return key;
  });
}

/** A JSON array of objects, one per row, one row per line. Returns the number of rows written. */
export function exportJson(rows: Rows, columns: readonly string[], sink: RowSink): Promise<number> {
  const keys = uniqueKeys(columns).map((k) => JSON.stringify(k));
  return withSink(sink, async (put) => {
    await put('[');
    let count = 0;
    for await (const row of rows) {
      const fields = keys.map((key, i) => `${key}:${jsonValue(row[i])}`).join(',');
      await put(`${count === 0 ? '\n' : ',\n'}{${fields}}`);
      count += 1;
    }
    await put(count === 0 ? ']\n' : '\n]\n');
    return count;
  });
}
