// Loaded by mocha before every test file: an unhandled promise rejection anywhere fails the run,
// instead of scrolling past as a warning.
const seen: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  seen.push(reason);
  console.error('Unhandled promise rejection:', reason);
  process.exitCode = 1;
});
export const mochaHooks = {
  afterAll() {
    if (seen.length > 0) throw new Error(`${seen.length} unhandled promise rejection(s) during the run`);
  },
};
