// A webhook receiver for the benchmark and the delivery runs (bench/webhooks/README.md): verifies
// every request with the official Standard Webhooks library (npm standardwebhooks, installed in
// tests/webhooks-verifier), answers 204, and appends one line per verified delivery to a log:
// "<webhook-id> <lag ms> <type>", the lag being the time of receipt minus the event's timestamp.
// Started again with the same log, it carries on (so duplicates across a restart are still seen).
// usage: node receiver.mjs <port> <whsec_secret> <log file>
// GET /stats answers {"verified","rejected","unique","duplicates"} as JSON.
import { createServer } from "node:http";
import { appendFileSync, createWriteStream, existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "../../tests/webhooks-verifier/package.json"));
const { Webhook } = require("standardwebhooks");

const [port, secret, logPath] = process.argv.slice(2);
if (!port || !secret || !logPath) {
  console.error("usage: node receiver.mjs <port> <whsec_secret> <log file>");
  process.exit(2);
}

const verifier = new Webhook(secret);
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
    response.end(JSON.stringify({ verified, rejected, unique: seen.size, duplicates }));
    return;
  }
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    let payload;
    try {
      payload = verifier.verify(body, request.headers);
    } catch (error) {
      rejected++;
      response.writeHead(400, { "content-type": "text/plain" });
      response.end(String(error.message || error));
      return;
    }
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
