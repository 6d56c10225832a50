/**
 * Writes the webhook body's JSON Schema, generated from the contract's zod schemas, to contract/. Run it after
 * changing an event payload or the body (`pnpm --filter @rollcall/registry-core contract:schema`) and commit the
 * file: contract-schema.test.ts fails while the committed file and the schemas differ.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NOTIFICATION_BODY_SCHEMA_FILE, notificationBodySchemaText } from "../src/events/contract.ts";

const target = fileURLToPath(new URL(`../contract/${NOTIFICATION_BODY_SCHEMA_FILE}`, import.meta.url));
writeFileSync(target, notificationBodySchemaText());
console.log(`wrote ${target}`);
