// Verifies deliveries with the official Standard Webhooks library, as a receiver would.
// stdin: [{"secret": "whsec_...", "body": "...", "headers": {"webhook-id": ..., ...}}, ...]
// stdout: one result per delivery, "verified" or the library's error message.
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map(({ secret, body, headers }) => {
  try {
    new Webhook(secret).verify(body, headers);
    return "verified";
  } catch (error) {
    return String(error.message || error);
  }
});
process.stdout.write(JSON.stringify(results));
