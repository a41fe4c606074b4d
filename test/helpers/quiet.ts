/**
 * @module test/helpers/quiet: keeps the Node server's notices (schema cache loads, reconnects, the
 * listener: PostgREST writes them at every log level, on stderr) out of the test output. Other
 * console output passes; nothing is asserted on through here.
 */
import { vi } from 'vitest'

const NOTICE = /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000: /

export const hideServerNotices = (): void => {
  const original = console.error.bind(console)
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === 'string' && NOTICE.test(args[0])) return
    original(...args)
  })
}
