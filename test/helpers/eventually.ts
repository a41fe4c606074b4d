/**
 * @module test/helpers/eventually: poll until a probe's value satisfies a check, or the time is
 * up; returns the last value either way, so the test's own assertion says what was seen. A probe
 * that throws counts as a value that does not satisfy (a server that is not up yet).
 */
export const eventually = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, everyMs = 100): Promise<T | undefined> => {
  const until = Date.now() + timeoutMs
  let last: T | undefined
  for (;;) {
    try {
      last = await probe()
      if (ok(last)) return last
    } catch {
      // Not there yet.
    }
    if (Date.now() > until) return last
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
