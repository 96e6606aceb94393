/** A numeric command-line option of a bench (`--runs 5`), or `fallback` when it is absent or not a number. */
export function numberOption(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
}
