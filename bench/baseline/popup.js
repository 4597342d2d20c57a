// @ts-check
/**
 * Bench baseline popup: the six status buttons, interactive at once; cached presence from
 * chrome.storage.session; then one read through the worker (the same as the real popup).
 */
const STATUSES = [
  ["Available", "Available"],
  ["Busy", "Busy"],
  ["DoNotDisturb", "Do not disturb"],
  ["BeRightBack", "Be right back"],
  ["Away", "Appear away"],
  ["Offline", "Appear offline"],
];
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {any} message */
async function send(message) {
  const reply = await chrome.runtime.sendMessage(message);
  if (!reply?.ok) {
    throw new Error(reply?.error?.message ?? "no answer");
  }
  return reply.value;
}

/** @param {{ availability: string } | undefined | null} p */
function renderPresence(p) {
  $("current-label").textContent = p ? `Teams shows: ${p.availability}` : "";
}

for (const [availability, label] of STATUSES) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "status";
  b.dataset.availability = availability;
  b.textContent = label;
  b.addEventListener("click", async () => {
    $("message").textContent = "Working…";
    try {
      renderPresence(await send({ type: "presence/set", availability }));
      $("message").textContent = `Set to ${label}`;
    } catch (e) {
      $("message").textContent = String(/** @type {any} */ (e).message);
    }
  });
  $("statuses").append(b);
}

chrome.storage.session.get("presence").then(async (cached) => {
  renderPresence(/** @type {any} */ (cached).presence);
  document.body.dataset.ready = "loading";
  try {
    renderPresence(await send({ type: "presence/get" }));
  } catch (e) {
    $("message").textContent = String(/** @type {any} */ (e).message);
  } finally {
    document.body.dataset.ready = "loaded";
  }
});
