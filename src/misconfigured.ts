/**
 * @module misconfigured: the answer to a request while the deployment is misconfigured (bad
 * settings, an unusable schema cache snapshot): no details for the client, all in the log.
 */
export const misconfigured = (problems: string): Response => {
  console.error(`edgerest: cannot serve requests until the configuration is fixed:\n${problems}`)
  return new Response(
    JSON.stringify({ code: 'PGRSTX00', details: null, hint: 'The server log says what is wrong.', message: 'Server misconfigured' }),
    { status: 500, headers: { 'Content-Type': 'application/json; charset=utf-8' } },
  )
}
