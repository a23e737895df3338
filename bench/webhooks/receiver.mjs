// A webhook receiver for the benchmark and the delivery runs (bench/README.md, "Webhook delivery"):
// verifies every request's signature, answers 204, and appends one line per verified delivery to a
// log: "<webhook-id> <lag ms> <type>", the lag being the time of receipt minus the event's timestamp.
// Started again with the same log, it carries on (so duplicates across a restart are still seen).
// Every request is checked with Node's native HMAC (the Standard Webhooks scheme, several v1
// signatures allowed, timestamp within 5 minutes); every SAMPLE-th (and, with SAMPLE=1, every one)
// also with the official library (npm standardwebhooks, from tests/webhooks-verifier), whose pure
// JavaScript HMAC would otherwise cost the shared machine more CPU than the gateway's own delivery.
// A request the two judge differently is counted in "disagreed" and refused.
// usage: node receiver.mjs <port> <whsec_secret> <log file> [SAMPLE, default 100]
// GET /stats answers {"verified","rejected","unique","duplicates","official","disagreed"} as JSON.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { appendFileSync, createWriteStream, existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "../../tests/webhooks-verifier/package.json"));
const { Webhook } = require("standardwebhooks");

const [port, secret, logPath, sampleText] = process.argv.slice(2);
const sample = Number(sampleText ?? 100);
if (!port || !secret || !logPath) {
  console.error("usage: node receiver.mjs <port> <whsec_secret> <log file>");
  process.exit(2);
}

const verifier = new Webhook(secret);
const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
let official = 0;
let disagreed = 0;
let requests = 0;

// The Standard Webhooks check, natively: the signed content, a v1 signature among those sent, a fresh timestamp.
function verifyNative(body, headers) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(" ").some((signature) => {
    const [version, value] = signature.split(",");
    const given = Buffer.from(value ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
const seen = new Set();
let duplicates = 0;
let verified = 0;
let rejected = 0;
if (existsSync(logPath)) {
  for (const line of readFileSync(logPath, "utf8").split("\n")) {
    const id = line.split(" ")[0];
    if (!id) continue;
    if (seen.has(id)) duplicates++;
    seen.add(id);
  }
} else {
  appendFileSync(logPath, "");
}
const log = createWriteStream(logPath, { flags: "a" });

const server = createServer((request, response) => {
  if (request.method === "GET" && request.url === "/stats") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ verified, rejected, unique: seen.size, duplicates, official, disagreed }));
    return;
  }
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    let valid = verifyNative(body, request.headers);
    if (++requests % sample === 0) {
      official++;
      let officialValid = true;
      try {
        verifier.verify(body, request.headers);
      } catch {
        officialValid = false;
      }
      if (officialValid !== valid) {
        disagreed++;
        valid = false;
      }
    }
    if (!valid) {
      rejected++;
      response.writeHead(400, { "content-type": "text/plain" });
      response.end("bad signature");
      return;
    }
    const payload = JSON.parse(body);
    verified++;
    const id = request.headers["webhook-id"];
    if (seen.has(id)) duplicates++;
    seen.add(id);
    const lag = Date.now() - Date.parse(payload.timestamp);
    log.write(`${id} ${lag} ${payload.type}\n`);
    response.writeHead(204);
    response.end();
  });
});
server.keepAliveTimeout = 120_000;
server.listen(Number(port), "127.0.0.1", () => console.log(`receiver: listening on 127.0.0.1:${port}`));
const stop = () => log.end(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
