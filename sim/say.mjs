#!/usr/bin/env node
// Write to Parley as a customer, through the simulator `npm start` runs:
//   node sim/say.mjs --channel sms --from +14155550123 "hello"
//   node sim/say.mjs --channel whatsapp --from +14155550123 "still waiting"
//   node sim/say.mjs --channel email --from pat@example.com --subject "Order 1042" "where is it?"
//   node sim/say.mjs --channel whatsapp --media parcel.jpg "it arrived like this"
// The simulator posts the message to the channel's inbound URL, signed as its provider signs; a
// --media file (up to 4, 1 MB each) is served by the simulator the way the provider serves media.
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    channel: { type: "string", short: "c", default: "sms" },
    from: { type: "string", short: "f" },
    subject: { type: "string", short: "s" },
    media: { type: "string", short: "m", multiple: true, default: [] },
    sim: { type: "string", default: process.env.PARLEY_SIM_URL ?? "http://127.0.0.1:8788" },
    help: { type: "boolean", short: "h" },
  },
});
const DEFAULT_FROM = { sms: "+14155550123", whatsapp: "+14155550123", messenger: "5678901234", email: "pat@example.com" };
const text = positionals.join(" ");
if (values.help || (text === "" && values.media.length === 0)) {
  console.log(`usage: node sim/say.mjs [--channel sms|whatsapp|messenger|email] [--from ADDRESS] [--subject S] [--media FILE]... [--sim URL] "text"`);
  process.exit(values.help ? 0 : 2);
}
if (!(values.channel in DEFAULT_FROM)) {
  console.error(`--channel must be one of ${Object.keys(DEFAULT_FROM).join(", ")}`);
  process.exit(2);
}
const TYPES = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp", ".pdf": "application/pdf", ".mp4": "video/mp4", ".ogg": "audio/ogg", ".mp3": "audio/mpeg", ".txt": "text/plain" };
const media = await Promise.all(
  values.media.map(async (file) => ({
    content_type: TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    filename: basename(file),
    data: (await readFile(file)).toString("base64"),
  })),
);
const body = { channel: values.channel, from: values.from ?? DEFAULT_FROM[values.channel] ?? "", text, subject: values.subject, ...(media.length > 0 ? { media } : {}) };
let res;
try {
  res = await fetch(`${values.sim}/_sim/say`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
} catch {
  console.error(`The simulator is not answering at ${values.sim}: is \`npm start\` running?`);
  process.exit(1);
}
const answer = await res.json().catch(() => ({}));
if (!res.ok) {
  console.error(`Not delivered (${res.status}): ${JSON.stringify(answer.error ?? answer.parley ?? answer)}`);
  process.exit(1);
}
console.log(`${body.from} → ${answer.channel.type} channel ${answer.channel.id}: Parley answered ${answer.parley.status}`);
