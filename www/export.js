// @ts-check
// Turns a built request into a command line. Pure functions, tested by tests/js/www-export.test.mjs.
// Neither output contains a token: curl reads it from $TOKEN, and Invoke-MgGraphRequest signs the
// request itself after Connect-MgGraph.

/** Single-quotes a string for a POSIX shell. @param {string} s */
export const shellQuote = (s) => `'${s.replaceAll("'", `'\\''`)}'`;
/** Single-quotes a string for PowerShell. @param {string} s */
export const psQuote = (s) => `'${s.replaceAll("'", "''")}'`;

/** @typedef {{ method: string, url: string, headers: Record<string, string>, body: string | null }} GraphRequest */

/** @param {GraphRequest} request */
export function asCurl(request) {
  const parts = ["curl", "-X", request.method, shellQuote(request.url), "-H", '"Authorization: Bearer $TOKEN"'];
  for (const [name, value] of Object.entries(request.headers)) parts.push("-H", shellQuote(`${name}: ${value}`));
  if (request.body !== null) parts.push("--data", shellQuote(request.body));
  return parts.join(" ");
}

/** @param {GraphRequest} request */
export function asPowerShell(request) {
  // Invoke-MgGraphRequest takes a path relative to the cloud Connect-MgGraph -Environment chose.
  const uri = request.url.replace(/^https?:\/\/[^/]+/, "");
  const headers = Object.entries(request.headers)
    .filter(([name]) => name.toLowerCase() !== "content-type")
    .map(([name, value]) => `${psQuote(name)} = ${psQuote(value)}`)
    .join("; ");
  let line = `Invoke-MgGraphRequest -Method ${request.method} -Uri ${psQuote(uri)} -Headers @{ ${headers} }`;
  if (request.body !== null) line += ` -ContentType 'application/json' -Body ${psQuote(request.body)}`;
  return line;
}
