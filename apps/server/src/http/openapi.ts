import { ERROR_REASONS } from "@rollcall/registry-core";
import { z } from "zod";
import { PROCEDURES, ROUTES } from "./routes.ts";

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[] } & Record<string, unknown>;

const ERROR_RESPONSE = {
  description: "Refused: `reason` is machine-readable (README, API); `issues` lists every bad input field",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

/** A procedure's input as JSON Schema; one without input (GET /api/self-preservation) takes no fields. */
const inputSchemaOf = (procedure: string): JsonSchema => {
  const input = PROCEDURES[procedure]!._def.inputs[0];
  return input === undefined ? {} : (z.toJSONSchema(input, { io: "input", unrepresentable: "any" }) as JsonSchema);
};

/**
 * The operator REST API as OpenAPI 3.1, built from the one route table: the same paths, methods and input schemas
 * (zod's own JSON Schema) that the edge serves, so the document cannot describe an API the server does not have.
 */
function buildDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { route } of ROUTES) {
    if (route.kind !== "rest") continue;
    const input = inputSchemaOf(route.procedure);
    const properties = input.properties ?? {};
    const required = new Set(input.required ?? []);
    const fields = Object.entries(properties).filter(([name]) => !route.params.includes(name));
    const parameters = [
      ...route.params.map((name) => ({ name, in: "path", required: true, schema: properties[name] ?? { type: "string" } })),
      ...(route.method === "POST" ? [] : fields.map(([name, schema]) => ({ name, in: "query", required: required.has(name), schema }))),
    ];
    const body = {
      type: "object",
      properties: Object.fromEntries(fields),
      required: fields.map(([name]) => name).filter((name) => required.has(name)),
    };
    (paths[route.rest.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.procedure,
      summary: route.rest.summary,
      description: `Also the tRPC procedure \`${route.procedure}\` under /trpc.`,
      security: [{ bearer: [] }],
      parameters,
      ...(route.method === "POST" ? { requestBody: { required: body.required.length > 0, content: { "application/json": { schema: body } } } } : {}),
      responses: { [String(route.rest.status ?? 200)]: { description: "Done" }, "4XX": ERROR_RESPONSE, "503": ERROR_RESPONSE },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Rollcall operator API",
      version: "1",
      description: "Workspaces, markers, events and heartbeat timelines for scripts and automation. Every error is `{error, reason}`.",
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "ROLLCALL_ADMIN_TOKEN, or a console session token" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error", "reason"],
          properties: {
            error: { type: "string" },
            reason: { type: "string", enum: ERROR_REASONS },
            issues: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
          },
        },
      },
    },
  };
}

let document: ReturnType<typeof buildDocument> | undefined;
export const openApiDocument = () => (document ??= buildDocument());
