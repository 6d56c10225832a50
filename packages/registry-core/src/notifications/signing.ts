import { Webhook } from "standardwebhooks";

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the same on every attempt), `webhook-timestamp` (this
 * attempt, in seconds) and `webhook-signature` (`v1,` + HMAC-SHA256 over `id.timestamp.body` with the `whsec_` key).
 */
export function signedHeaders(secret: string, id: string, at: number, body: string): Record<string, string> {
  const timestamp = new Date(at);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, timestamp, body),
  };
}
