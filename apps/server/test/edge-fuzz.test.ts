/**
 * Property-based tests of the edge against the real server on both databases: generated URLs (every spelling of
 * every refused range, mixed with parser-confusing characters), generated bodies (wrong types, depth, size,
 * unicode, NUL) on every route that takes one, and generated raw requests and headers. The properties: never a 5xx;
 * every refusal is JSON with `error` and a machine `reason`; and nothing a refused request touches changes (the
 * workspace's row, markers, events and samples), save the documented register-failure marker.
 *
 * FUZZ_RUNS scales every property (default 1 = the CI size). A failure prints fast-check's seed and the shrunk input.
 */
import { createPrismaStore, openDatabase } from "@rollcall/db";
import { DEFAULT_POLICY, type RegistryStore } from "@rollcall/registry-core";
import fc from "fast-check";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { CARD, onlineWorkspace, UNRESOLVABLE, URL_OK } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
// No shrinking: the server under test keeps state, so a shrunk case could fail for an earlier case's effect.
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)), includeErrorInReport: true, endOnFailure: true });

// --- URLs --------------------------------------------------------------------------------------------------------

/** IPv4 ranges refused in strict mode, by IANA's special-purpose registry (a few globally reachable /32s aside). */
const REFUSED_V4: [base: number, prefix: number][] = (
  [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.0.2.0", 24],
    ["192.88.99.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["198.51.100.0", 24],
    ["203.0.113.0", 24],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4],
  ] as const
).map(([text, prefix]) => [text.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0), prefix]);
const V4_GLOBAL_EXCEPTIONS = new Set(["192.0.0.9", "192.0.0.10"]);
const METADATA_V4 = ["169.254.169.254", "169.254.170.2", "100.100.100.200", "168.63.129.16", "192.0.0.192"];

const v4Text = (value: number) => [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
const hexPair = (value: number) => [(value >>> 16).toString(16), (value & 0xffff).toString(16)];

const refusedV4 = fc
  .tuple(fc.constantFrom(...REFUSED_V4), fc.nat())
  .map(([[base, prefix], host]) => v4Text((base + (prefix === 32 ? 0 : host % 2 ** (32 - prefix))) >>> 0))
  .filter((ip) => !V4_GLOBAL_EXCEPTIONS.has(ip));
const metadataV4 = fc.constantFrom(...METADATA_V4);

const v4Value = (ip: string) => ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0) >>> 0;
/** Every way to write an IPv4 address as a URL host: each must be judged by the address it carries. */
const ipv4Spellings = (ip: string): string[] => {
  const value = v4Value(ip);
  const [high, low] = hexPair(value) as [string, string];
  const inverted = hexPair(~value >>> 0).join(":");
  return [
    ip,
    String(value),
    `0x${value.toString(16)}`,
    ip
      .split(".")
      .map((octet) => `0${Number(octet).toString(8)}`)
      .join("."),
    `[::ffff:${ip}]`,
    `[::FFFF:${high}:${low}]`,
    `[0:0:0:0:0:ffff:${ip}]`,
    `[::ffff:0:${ip}]`,
    `[::${high}:${low}]`,
    `[64:ff9b::${ip}]`,
    `[2002:${high}:${low}::1]`,
    `[2001:0:4136:e378:8000:63bf:${inverted}]`,
    `[2001:0000:${high}:${low}:8000:63bf:a247:27dd]`,
  ];
};
const spelledV4 = (ip: fc.Arbitrary<string>) => ip.chain((address) => fc.constantFrom(...ipv4Spellings(address)));

/** IPv6 ranges refused in strict mode; fd00:ec2::/32 (AWS instance services) in every mode. */
const refusedV6 = fc.oneof(
  fc.constantFrom("[::1]", "[::]", "[0:0:0:0:0:0:0:1]", "[fd00:ec2::254]", "[fd00:ec2:0:0:0:0:0:254]"),
  fc
    .tuple(
      fc.constantFrom("fe80", "febf", "fec0", "fc00", "fd12", "ff02", "2001:db8", "3fff", "100", "5f00", "64:ff9b:1", "2001:2", "2001:10", "4000", "1"),
      fc.nat(0xffff),
    )
    .map(([prefix, tail]) => `[${prefix}::${tail.toString(16)}]`),
);
const metadataHosts = fc.oneof(spelledV4(metadataV4), fc.constantFrom("[fd00:ec2::254]", "[fd00:ec2::23]", "metadata.example.com"));

/** Characters some parser reads differently: refused wherever they appear. */
const CONFUSING = ["\\", "\r", "\n", "\t", " ", "\u0000", "\u0001", "\u007f", "\u0085", "\u00a0", "\u200b", "\u200e", "\u202e", "\u2028", "\u3000", "\ufeff"];
/**
 * Text that changes where the authority ends or what it holds. No ":" or "." alone: inserted into an address they
 * can spell another, allowed one (fd00:ec2::254 becomes fd00:0:ec2::254, an ordinary private address).
 */
const AUTHORITY_TRICKS = ["@", "user:pw@", "@93.184.216.34", "93.184.216.34@", "%2f", "%40", "%00", "#@", "?@", "/", "#", "?"];

const insertAt = (text: string, index: number, insert: string) => text.slice(0, index) + insert + text.slice(index);

/** URLs that must be refused in strict mode: a refused host in any spelling, or a public one made ambiguous. */
const refusedUrl = (hosts: fc.Arbitrary<string>) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom("http", "https", "HTTP"), hosts, fc.constantFrom("", ":8000", ":80", ":0"), fc.constantFrom("/", "/a2a", "", "/x?y=1#z"))
      .map(([scheme, host, port, path]) => `${scheme}://${host}${port}${path}`),
    // A refused host with anything inserted anywhere: whatever the insertion does, it is still refused.
    fc.tuple(hosts, fc.constantFrom(...CONFUSING, ...AUTHORITY_TRICKS), fc.nat()).map(([host, insert, at]) => {
      const url = `http://${host}:8000/a2a`;
      return insertAt(url, at % (url.length + 1), insert);
    }),
    // A public URL made ambiguous: a confusing character anywhere, or an authority trick inside the authority.
    fc.tuple(fc.constantFrom(...CONFUSING), fc.nat()).map(([insert, at]) => insertAt(URL_OK, at % (URL_OK.length + 1), insert)),
    // Inside the authority: after "http://", before the path's "/".
    fc
      .tuple(fc.constantFrom("@", "user@", "x:y@", "%61", "%2e"), fc.integer({ min: 7, max: URL_OK.length - 1 }))
      .map(([insert, at]) => insertAt(URL_OK, at, insert)),
    fc.constantFrom(
      `${URL_OK.slice(0, -1)}:0/`.replace(":8000", ""),
      "http:agent.example.com",
      "http:///agent.example.com",
      "http:/agent.example.com",
      "//agent.example.com/",
    ),
  );

// --- State --------------------------------------------------------------------------------------------------------

/** Everything a refused request must leave alone, read straight from the database (no API, no rate limit). */
async function snapshot(store: RegistryStore, id: string) {
  const [workspace, markers, events, samples] = await Promise.all([
    store.getWorkspace(id),
    store.allMarkers(id),
    store.listEvents({ limit: 20 }),
    // The retention window: the timeline is read slot by slot from `since`.
    store.listSamples(id, Date.now() - DEFAULT_POLICY.sampleRetentionMs),
  ]);
  return { workspace, markers, events: events.map((event) => event.id), samples };
}

type Reply = { status: number; body: any; text: string };

async function send(server: TestServer, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, { method: init.method ?? "POST", headers: init.headers, body: init.body }).catch((error: Error) => {
    throw new Error(`${init.method ?? "POST"} ${path}: no answer (${String((error.cause as Error | undefined)?.message ?? error.message)})`);
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Left null: the assertions say what was expected.
  }
  return { status: response.status, body, text };
}

/** A refusal in the route's encoding: `{error, reason}`, or tRPC's envelope with the reason in its data. */
function assertRefusal(reply: Reply, transport: "plain" | "trpc", context: string) {
  assert.ok(reply.status >= 400 && reply.status < 500, `${context}: status ${reply.status}: ${reply.text.slice(0, 300)}`);
  // Headers too large for Node are refused before any route is known, so in the plain encoding on every path.
  if (transport === "plain" || reply.status === 431) {
    assert.equal(typeof reply.body?.error, "string", `${context}: ${reply.text.slice(0, 300)}`);
    assert.match(reply.body.reason, /^[a-z_]+$/, context);
  } else {
    assert.equal(typeof reply.body?.error?.message, "string", `${context}: ${reply.text.slice(0, 300)}`);
    assert.match(reply.body.error.data.reason, /^[a-z_]+$/, context);
  }
}

// --- Bodies -------------------------------------------------------------------------------------------------------

const deep = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { d: value };
  return value;
};

/** Values that break an input limit wherever they sit, known field or not. */
const limitPoison: fc.Arbitrary<unknown> = fc.oneof(
  fc.string().map((text) => `${text}\u0000${text}`),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => `lone ${String.fromCharCode(unit)} surrogate`),
  fc.integer({ min: 8_193, max: 20_000 }).map((length) => "x".repeat(length)),
  fc.integer({ min: 33, max: 2_000 }).map((levels) => deep(levels)),
  fc.constantFrom({ "key\u0000": 1 }, { ["k".repeat(8_193)]: 1 }, [[["\u0000"]]]),
);

const notUuid = fc.oneof(
  fc.string().filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.nat()),
  fc.dictionary(fc.string(), fc.nat()),
);
const notText = (max: number) =>
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.dictionary(fc.string(), fc.string()), fc.constant("t".repeat(max + 1)));
const notUnit = fc.oneof(
  fc.double({ min: 1.0001, max: 1e300 }),
  fc.double({ min: -1e300, max: -0.0001 }),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.nat()),
);
const notCount = fc.oneof(fc.double({ min: 0.01, max: 0.99 }), fc.integer({ max: -1 }), fc.integer({ min: 1_000_001 }), fc.string(), fc.constant(null));
const notCard = fc.oneof(fc.string(), fc.integer(), fc.array(fc.nat()), fc.constant(null), fc.constant({}), fc.constant({ name: "agent", url: 8000 }));

type BodyRoute = {
  [fc.toStringMethod]?: () => string;
  name: string;
  path: string;
  transport: "plain" | "trpc";
  base(ids: Ids): Record<string, unknown>;
  wrong: Record<string, fc.Arbitrary<unknown>>;
  token: boolean;
};
type Ids = { id: string; markerId: string };

const RUNTIME_FIELDS = {
  heartbeat: {
    workspace_id: notUuid,
    error_rate: notUnit,
    sample_error: notText(4_096),
    active_tasks: notCount,
    uptime_seconds: fc.oneof(fc.string(), fc.integer({ max: -1 })),
    current_task: notText(1_024),
    runtime_state: fc.string().filter((s) => s !== "" && s !== "wedged"),
    runtime_metadata: fc.oneof(fc.string(), fc.integer(), fc.constant({ capabilities: "yes" })),
  },
  register: {
    id: notUuid,
    url: fc.oneof(fc.integer(), fc.boolean(), fc.constant("u".repeat(2_049))),
    agent_card: notCard,
    delivery_mode: fc.string().filter((s) => s !== "push" && s !== "poll"),
  },
  update_card: { workspace_id: notUuid, agent_card: notCard },
};
const runtimeBases = {
  heartbeat: ({ id }: Ids) => ({
    workspace_id: id,
    error_rate: 0.1,
    sample_error: "",
    active_tasks: 1,
    uptime_seconds: 60,
    current_task: "triage",
    agent_card: CARD,
  }),
  register: ({ id }: Ids) => ({ id, url: URL_OK, agent_card: CARD }),
  update_card: ({ id }: Ids) => ({ workspace_id: id, agent_card: CARD }),
};
const BODY_ROUTES: BodyRoute[] = [
  ...(["heartbeat", "register", "update_card"] as const).flatMap((call): BodyRoute[] => [
    {
      name: `plain ${call}`,
      path: `/registry/${call.replace("_", "-")}`,
      transport: "plain",
      base: runtimeBases[call],
      wrong: RUNTIME_FIELDS[call],
      token: true,
    },
    {
      name: `tRPC ${call}`,
      path: `/trpc/runtime.${call === "update_card" ? "updateCard" : call}`,
      transport: "trpc",
      base: runtimeBases[call],
      wrong: RUNTIME_FIELDS[call],
      token: true,
    },
  ]),
  {
    name: "REST provision",
    path: "/api/workspaces",
    transport: "plain",
    base: () => ({ name: "fuzz" }),
    wrong: { name: fc.oneof(notText(200), fc.constant("   ")) },
    token: false,
  },
  {
    name: "tRPC provision",
    path: "/trpc/workspace.provision",
    transport: "trpc",
    base: () => ({ name: "fuzz" }),
    wrong: { name: fc.oneof(notText(200), fc.constant("   ")) },
    token: false,
  },
  {
    name: "REST clear",
    path: "/api/workspaces/{id}/markers/{markerId}/clear",
    transport: "plain",
    base: () => ({ reason: "fixed the DNS by hand" }),
    wrong: { reason: fc.oneof(notText(500), fc.constant("no")) },
    token: false,
  },
  {
    name: "tRPC clear",
    path: "/trpc/workspace.clearMarker",
    transport: "trpc",
    base: (ids) => ({ workspaceId: ids.id, markerId: ids.markerId, reason: "fixed the DNS by hand" }),
    wrong: { workspaceId: notUuid, markerId: notUuid, reason: notText(500) },
    token: false,
  },
  {
    name: "tRPC restart",
    path: "/trpc/workspace.restart",
    transport: "trpc",
    base: (ids) => ({ workspaceId: ids.id }),
    wrong: { workspaceId: notUuid },
    token: false,
  },
  {
    name: "tRPC remove",
    path: "/trpc/workspace.remove",
    transport: "trpc",
    base: (ids) => ({ workspaceId: ids.id }),
    wrong: { workspaceId: notUuid },
    token: false,
  },
];

// Counterexamples name the route rather than print its arbitraries.
for (const route of BODY_ROUTES) route[fc.toStringMethod] = () => route.name;

/** Raw text that is no JSON object: an empty body reads as `{}`, which some calls accept (provision needs nothing). */
const notAnObject = fc.string({ minLength: 1 }).filter((text) => {
  try {
    const value: unknown = JSON.parse(text);
    return value === null || typeof value !== "object" || Array.isArray(value);
  } catch {
    return text.trim() !== "";
  }
});

/** A body made invalid by construction: a known field of the wrong kind, or a limit broken anywhere in it. */
const poisonedBody = (route: BodyRoute, ids: Ids) =>
  fc.oneof(
    fc.constantFrom(...Object.keys(route.wrong)).chain((field) => route.wrong[field]!.map((value) => ({ ...route.base(ids), [field]: value }))),
    fc
      .tuple(fc.constantFrom(...Object.keys(route.base(ids)), "extra", "agent_card"), limitPoison)
      .map(([field, value]) => ({ ...route.base(ids), [field]: value })),
    limitPoison.map((value) => ({ ...route.base(ids), agent_card: { ...CARD, skills: [{ id: "s", tags: [value] }] } })),
  );

// --- Raw requests --------------------------------------------------------------------------------------------------

/** Sends bytes as they are and reads the answer until the server closes (every request asks it to): requests fetch
 * would refuse to send. */
function rawRequest(url: string, bytes: string): Promise<{ status: number; headers: string; body: string } | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    // Generous: every generated request is complete and answered at once; only a loaded machine makes it slow.
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer in 10 s to ${JSON.stringify(bytes.slice(0, 200))}`)));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", (error) => (chunks.length > 0 ? undefined : reject(error)));
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3}) [^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
      resolve(match ? { status: Number(match[1]), headers: match[2]!, body: match[3]! } : null);
    });
    // Written, not ended: a client that half-closes has given up on its answer, and Node drops it.
    socket.write(bytes);
  });
}

// CONNECT and HEAD are left out: Node hands CONNECT to an 'upgrade'-style listener, and HEAD answers have no body.
const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/).filter((name) => name !== "CONNECT" && name !== "HEAD");
const headerValue = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc.constantFrom("Bearer ", "Bearer  x", "bearer\ttoken", "Basic dXNlcjpwYXNz", "x".repeat(20_000)),
);
const KNOWN_PATHS = [
  "/registry/register",
  "/registry/heartbeat",
  "/registry/update-card",
  "/trpc/runtime.heartbeat",
  "/trpc/workspace.list",
  "/trpc/events.stream",
  "/api/workspaces",
  "/api/events",
  "/api/openapi.json",
  "/healthz",
  "/metrics",
  "/readyz",
];
const rawRequests = fc
  .record({
    method: fc.oneof(fc.constantFrom("GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS"), token),
    target: fc.oneof(
      fc.constantFrom(...KNOWN_PATHS),
      fc.constantFrom(...KNOWN_PATHS).chain((path) => fc.string().map((tail) => path + tail)),
      fc.string({ maxLength: 80 }),
    ),
    headers: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom("authorization", "x-operator-name", "content-type", "content-length", "transfer-encoding", "cookie", "host", "expect"), token),
        headerValue,
      ),
      { maxLength: 6 },
    ),
    body: fc.oneof(fc.constant(""), fc.json(), fc.string({ maxLength: 300 })),
  })
  .map(({ method, target, headers, body }) => {
    const lines = headers.map(([name, value]) => `${name}: ${value}`);
    return `${method} ${target.startsWith("/") ? target : `/${target}`} HTTP/1.1\r\nhost: rollcall\r\n${lines.join("\r\n")}${lines.length ? "\r\n" : ""}connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  });

// --- The suite -----------------------------------------------------------------------------------------------------

for (const factory of testDatabases()) {
  describe(`the edge under generated input, on ${factory.provider}`, () => {
    let strict: TestServer;
    let relaxed: TestServer;
    let store: RegistryStore;
    let closeStore: () => Promise<void>;
    let target: { id: string; token: string };
    let marked: { id: string; token: string; markerId: string };

    before(async () => {
      strict = await startTestServer(factory);
      relaxed = await startTestServer(factory, { ROLLCALL_ALLOW_PRIVATE_URLS: "1", ROLLCALL_DEV_MODE: "1" });
      const database = await openDatabase(strict.db.url);
      store = createPrismaStore(database, { sampleSlotMs: DEFAULT_POLICY.sampleSlotMs });
      closeStore = () => store.close();
      target = await onlineWorkspace(strict, "fuzz-target");
      // A workspace degraded by a register-failure marker (incident #2739's state): a card-bearing heartbeat with a
      // refused URL must never clear it.
      const provisioned = await strict.provision("fuzz-marked");
      assert.equal((await strict.runtime("/registry/register", { id: provisioned.id, url: UNRESOLVABLE, agent_card: CARD }, provisioned.token)).status, 400);
      const markers = await store.allMarkers(provisioned.id);
      marked = { ...provisioned, markerId: markers[0]!.id };
    });
    after(async () => {
      await closeStore?.();
      await strict?.stop();
      await relaxed?.stop();
    });

    it("a refused URL on register (url or card URL) is a 400 and is never stored; only the documented marker changes", async () => {
      const anyRefused = refusedUrl(fc.oneof(spelledV4(refusedV4), refusedV6, metadataHosts));
      await fc.assert(
        fc.asyncProperty(anyRefused, fc.boolean(), async (url, inCard) => {
          const before = await snapshot(store, target.id);
          const body = inCard ? { id: target.id, url: URL_OK, agent_card: { name: "agent", url } } : { id: target.id, url, agent_card: CARD };
          const reply = await send(strict, "/registry/register", { body: JSON.stringify(body), headers: { authorization: `Bearer ${target.token}` } });
          assertRefusal(reply, "plain", url);
          assert.ok(["url_validate_failed", "nul_character", "invalid_unicode"].includes(reply.body.reason), `${JSON.stringify(url)}: ${reply.body.reason}`);
          const now = await snapshot(store, target.id);
          assert.equal(now.workspace!.url, before.workspace!.url, JSON.stringify(url));
          assert.deepEqual(now.workspace!.agentCard, before.workspace!.agentCard, JSON.stringify(url));
          assert.deepEqual(now.samples, before.samples);
          // The documented exception: an authenticated register refused for its URL sets (or refreshes) a marker.
          assert.ok(now.markers.every((m) => m.kind === "register_failure"));
          assert.ok(now.markers.filter((m) => m.clearedAt === null).length <= 1);
        }),
        runs(300),
      );
    });

    it("a refused URL on update-card is a 400 and changes nothing at all", async () => {
      const anyRefused = refusedUrl(fc.oneof(spelledV4(refusedV4), refusedV6, metadataHosts));
      await fc.assert(
        fc.asyncProperty(anyRefused, fc.constantFrom("/registry/update-card", "/trpc/runtime.updateCard"), async (url, path) => {
          const before = await snapshot(store, target.id);
          const reply = await send(strict, path, {
            body: JSON.stringify({ workspace_id: target.id, agent_card: { name: "agent", url } }),
            headers: { authorization: `Bearer ${target.token}` },
          });
          assertRefusal(reply, path.startsWith("/trpc") ? "trpc" : "plain", url);
          assert.deepEqual(await snapshot(store, target.id), before, JSON.stringify(url));
        }),
        runs(200),
      );
    });

    it("a card-bearing heartbeat with a refused URL neither clears the marker nor stores the card", async () => {
      await fc.assert(
        fc.asyncProperty(refusedUrl(fc.oneof(spelledV4(refusedV4), refusedV6, metadataHosts)), async (url) => {
          const reply = await send(strict, "/registry/heartbeat", {
            body: JSON.stringify({ workspace_id: marked.id, agent_card: { name: "agent", url } }),
            headers: { authorization: `Bearer ${marked.token}` },
          });
          if (reply.status !== 200) assertRefusal(reply, "plain", url);
          const workspace = await store.getWorkspace(marked.id);
          assert.equal(workspace!.agentCard, null, JSON.stringify(url));
          assert.equal(workspace!.status, "degraded", JSON.stringify(url));
          assert.equal((await store.unclearedMarkers(marked.id)).length, 1, JSON.stringify(url));
        }),
        runs(150),
      );
    });

    it("with private URLs and dev mode on, cloud metadata and parser-confusing URLs are still refused", async () => {
      const { id, token: workspaceToken } = await relaxed.provision("fuzz-relaxed");
      await fc.assert(
        fc.asyncProperty(refusedUrl(metadataHosts), async (url) => {
          const reply = await send(relaxed, "/registry/register", {
            body: JSON.stringify({ id, url, agent_card: CARD }),
            headers: { authorization: `Bearer ${workspaceToken}` },
          });
          assertRefusal(reply, "plain", url);
          const workspace = await relaxed.admin(`/api/workspaces/${id}`);
          assert.equal(workspace.body.url, null, JSON.stringify(url));
        }),
        runs(200),
      );
    });

    it("generated bad bodies on every route that takes one: a 4xx in the route's encoding, and nothing changes", async () => {
      const ids = { id: target.id, markerId: randomUUID() };
      const route = fc.constantFrom(...BODY_ROUTES);
      await fc.assert(
        fc.asyncProperty(
          route.chain((r) =>
            fc.tuple(
              fc.constant(r),
              fc.oneof(
                { weight: 4, arbitrary: poisonedBody(r, ids).map((b) => JSON.stringify(b)) },
                notAnObject,
                fc.constantFrom("{", "[]", "null", '"x"', "1e999", '{"a":1,}'),
              ),
            ),
          ),
          async ([r, body]) => {
            const before = await snapshot(store, target.id);
            const authorization = r.token ? `Bearer ${target.token}` : `Bearer ${"test-admin-token-0123456789"}`;
            const path = r.path.replace("{id}", target.id).replace("{markerId}", ids.markerId);
            const reply = await send(strict, path, { body, headers: { authorization, "content-type": "application/json" } });
            assertRefusal(reply, r.transport, `${r.name} ${body.slice(0, 200)}`);
            assert.deepEqual(await snapshot(store, target.id), before, `${r.name}: ${body.slice(0, 200)}`);
          },
        ),
        runs(400),
      );
    });

    it("generated query inputs on every read: never a 5xx, every refusal in the route's encoding", async () => {
      const admin = { authorization: "Bearer test-admin-token-0123456789" };
      const input = fc.oneof(
        fc.jsonValue(),
        limitPoison,
        fc.dictionary(
          fc.constantFrom("status", "search", "limit", "after", "sort", "page", "pageSize", "workspaceId", "type", "before", "minutes"),
          fc.oneof(fc.string(), fc.integer(), limitPoison),
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("workspace.list", "workspace.fleet", "workspace.get", "workspace.events", "workspace.heartbeats", "events.list", "workspace.counts"),
          input,
          fc.dictionary(
            fc.constantFrom("status", "search", "limit", "after", "type", "before", "actor", "minutes"),
            fc.oneof(fc.string(), fc.constantFrom("%", "_", "\\", "%00", "%ZZ", "1e400")),
          ),
          async (procedure, value, query) => {
            const trpc = await send(strict, `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(value) ?? "")}`, { method: "GET", headers: admin });
            if (trpc.status !== 200) assertRefusal(trpc, "trpc", `${procedure} ${JSON.stringify(value)?.slice(0, 200)}`);
            // Percent sequences go as they are (a NUL, a malformed escape); anything else is encoded.
            const search = Object.entries(query)
              .map(([key, text]) => `${key}=${text.startsWith("%") ? text : encodeURIComponent(text)}`)
              .join("&");
            for (const path of ["/api/workspaces", `/api/workspaces/${target.id}/events`, `/api/workspaces/${target.id}/heartbeats`, "/api/events"]) {
              const rest = await send(strict, `${path}?${search}`, { method: "GET", headers: admin });
              if (rest.status !== 200) assertRefusal(rest, "plain", `${path}?${search}`);
            }
          },
        ),
        runs(200),
      );
    });

    it("generated raw requests and headers: never a 5xx, every refusal JSON, and nothing changes", async () => {
      await fc.assert(
        fc.asyncProperty(rawRequests, async (bytes) => {
          const before = await snapshot(store, target.id);
          const reply = await rawRequest(strict.url, bytes);
          assert.ok(reply, `an HTTP answer to ${JSON.stringify(bytes.slice(0, 300))}`);
          assert.ok(reply.status < 500, `${reply.status} for ${JSON.stringify(bytes.slice(0, 300))}: ${reply.body.slice(0, 300)}`);
          if (reply.status >= 400) {
            const body = JSON.parse(reply.body) as { error: unknown; reason?: unknown };
            const reason = typeof body.error === "string" ? body.reason : (body.error as { data?: { reason?: unknown } }).data?.reason;
            assert.match(String(reason), /^[a-z_]+$/, JSON.stringify(bytes.slice(0, 300)));
          }
          assert.deepEqual(await snapshot(store, target.id), before, JSON.stringify(bytes.slice(0, 300)));
        }),
        runs(300),
      );
    });
  });
}
