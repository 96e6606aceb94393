/**
 * Waits until a condition holds, polling; the mocha timeout bounds it (tests assert what happened,
 * never how long it took).
 */
export async function waitFor<T>(condition: () => T | undefined | false | null, what = 'condition'): Promise<T> {
  for (;;) {
    const value = condition();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (process.env.HUBOPS_WAITFOR_DEBUG) console.log(`waiting for ${what}`);
  }
}
