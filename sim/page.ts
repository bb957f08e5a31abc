/**
 * The simulator's page: write to Parley as a customer, and watch the traffic (customers' messages,
 * Parley's sends, the receipts posted back). Plain HTML and a few lines of script, no framework.
 */
export function page(magic: Record<string, string>): string {
  const magicRows = Object.entries(magic)
    .map(([name, digits]) => `<li><code>+${digits}</code> ${name}</li>`)
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Parley provider simulator</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  form { display: grid; grid-template-columns: 8rem 1fr; gap: .5rem; max-width: 36rem; }
  input, select, textarea, button { font: inherit; padding: .3rem; }
  button { grid-column: 2; justify-self: start; }
  #result { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 13px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  td, th { border-bottom: 1px solid #ddd; padding: .25rem .4rem; text-align: left; vertical-align: top; }
  .bad { color: #b00; }
</style>
</head>
<body>
<h1>Parley provider simulator</h1>
<p>Write to Parley as a customer: the simulator posts the message to the channel's inbound URL in its
provider's format, signed with the channel's secret, as Twilio, Meta or Mailgun would.</p>
<form id="say">
  <label for="channel">Channel</label><select id="channel" name="channel"></select>
  <label for="from">From</label><input id="from" name="from" value="+14155550123">
  <label for="text">Text</label><textarea id="text" name="text" rows="3">Hello from the simulator</textarea>
  <label for="files">Files</label><input id="files" name="files" type="file" multiple>
  <button>Send as the customer</button>
</form>
<p id="result"></p>
<h2>Traffic</h2>
<table><thead><tr><th>time</th><th>what</th><th>channel</th><th>from → to</th><th>text / status</th><th>HTTP</th></tr></thead><tbody id="log"></tbody></table>
<h2>Magic recipients</h2>
<ul>${magicRows}<li><code>flaky@…</code> email: flaky</li></ul>
<p>See sim/README.md for what each does.</p>
<script>
const FROM = { sms: "+14155550123", mms: "+14155550123", whatsapp: "+14155550123", messenger: "5678901234", email: "pat@example.com" };
const select = document.getElementById("channel");
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
async function channels() {
  const list = await (await fetch("/_sim/channels")).json();
  select.innerHTML = list.map((c) => '<option value="' + esc(c.id) + '" data-type="' + esc(c.type) + '">' + esc(c.type) + " (" + esc(c.provider) + ", " + esc(c.sender) + ")</option>").join("");
  if (list.length === 0) document.getElementById("result").textContent = "No channels yet: npm start tells the simulator about the development channels.";
}
select.onchange = () => { document.getElementById("from").value = FROM[select.selectedOptions[0]?.dataset.type] ?? ""; };
document.getElementById("say").onsubmit = async (e) => {
  e.preventDefault();
  const files = [...document.getElementById("files").files];
  const toBase64 = async (f) => { const b = new Uint8Array(await f.arrayBuffer()); let s = ""; for (const x of b) s += String.fromCharCode(x); return btoa(s); };
  const media = await Promise.all(files.map(async (f) => ({ content_type: f.type || "application/octet-stream", filename: f.name, data: await toBase64(f) })));
  const body = { channel_id: select.value, from: document.getElementById("from").value, text: document.getElementById("text").value, ...(media.length ? { media } : {}) };
  const res = await fetch("/_sim/say", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  document.getElementById("result").textContent = JSON.stringify(await res.json(), null, 2);
  refresh();
};
async function refresh() {
  const log = await (await fetch("/_sim/log")).json();
  document.getElementById("log").innerHTML = log.slice(-50).reverse().map((e) =>
    "<tr><td>" + new Date(e.at).toLocaleTimeString() + "</td><td>" + esc(e.kind) + "</td><td>" + esc(e.channel) + "</td><td>" + esc(e.from) + " → " + esc(e.to) +
    "</td><td>" + esc(e.status ?? e.body) + (e.note ? "<br><small>" + esc(e.note) + "</small>" : "") + '</td><td class="' + (e.http >= 200 && e.http < 300 ? "" : "bad") + '">' + esc(e.http) + "</td></tr>").join("");
}
channels().then(refresh);
setInterval(refresh, 2000);
</script>
</body>
</html>
`;
}
