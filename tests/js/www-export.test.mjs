// The playground's "copy as curl" and "copy as PowerShell" output.
import { test } from "node:test";
import assert from "node:assert/strict";
import { asCurl, asPowerShell, shellQuote } from "../../www/export.js";

const request = {
  method: "POST",
  url: "https://graph.microsoft.us/v1.0/users/o'brien@contoso.com/presence/setStatusMessage",
  headers: { "Content-Type": "application/json", "client-request-id": "11111111-2222-4333-8444-555555555555" },
  body: `{"statusMessage":{"message":{"content":"it's late","contentType":"text"}}}`,
};

test("curl quotes every argument and reads the token from $TOKEN", () => {
  assert.equal(
    asCurl(request),
    `curl -X POST 'https://graph.microsoft.us/v1.0/users/o'\\''brien@contoso.com/presence/setStatusMessage' ` +
      `-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ` +
      `-H 'client-request-id: 11111111-2222-4333-8444-555555555555' ` +
      `--data '{"statusMessage":{"message":{"content":"it'\\''s late","contentType":"text"}}}'`,
  );
  assert.equal(shellQuote("a'b"), `'a'\\''b'`);
});

test("curl leaves out --data for a GET", () => {
  const get = { ...request, method: "GET", url: "https://graph.microsoft.com/v1.0/me/presence", body: null };
  assert.doesNotMatch(asCurl(get), /--data/);
});

test("PowerShell uses a relative URI and doubles single quotes", () => {
  assert.equal(
    asPowerShell(request),
    `Invoke-MgGraphRequest -Method POST -Uri '/v1.0/users/o''brien@contoso.com/presence/setStatusMessage' ` +
      `-Headers @{ 'client-request-id' = '11111111-2222-4333-8444-555555555555' } -ContentType 'application/json' ` +
      `-Body '{"statusMessage":{"message":{"content":"it''s late","contentType":"text"}}}'`,
  );
});
