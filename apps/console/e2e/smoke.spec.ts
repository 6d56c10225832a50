import { expect, test } from "./fixtures.ts";
import { ErrorBody } from "./registry-api.ts";

/** The harness itself: the parts it starts answer, and a simulated runtime drives the registry over HTTP. */
test.describe("e2e harness", () => {
  test("the registry server is ready on its database", async ({ stack }) => {
    const response = await fetch(`${stack.registryUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
  });

  test("the console answers on / with the page or a redirect to /sign-in", async ({ request, stack }) => {
    const response = await request.get("/", { maxRedirects: 0 });
    if (response.status() === 200) return;
    expect(response.status(), await response.text()).toBeGreaterThanOrEqual(300);
    expect(response.status()).toBeLessThan(400);
    const location = response.headers()["location"] ?? "";
    expect(new URL(location, stack.consoleUrl).pathname).toBe("/sign-in");
  });

  test("a simulated runtime is online while it beats and offline soon after it stops", async ({ registry, runtimes }) => {
    const runtime = await runtimes.start({ intervalMs: 500 });
    expect((await registry.workspace(runtime.id)).status).toBe("online");
    await expect.poll(() => runtime.beats, { message: "the runtime heartbeats" }).toBeGreaterThanOrEqual(2);
    expect(runtime.lastFailure).toBeNull();
    expect((await registry.workspace(runtime.id)).status).toBe("online");
    await runtime.stop();
    await expect.poll(async () => (await registry.workspace(runtime.id)).status, { timeout: 15_000 }).toBe("offline");
  });

  test("a simulated runtime's error rate can be changed while it beats: degraded at 0.9, online again at 0", async ({ registry, runtimes }) => {
    const runtime = await runtimes.start({ intervalMs: 300, errorRate: 0.9 });
    await expect.poll(async () => (await registry.workspace(runtime.id)).status).toBe("degraded");
    runtime.setErrorRate(0);
    await expect.poll(async () => (await registry.workspace(runtime.id)).status).toBe("online");
  });

  test("the incident helper: an unresolvable hostname sets the marker, a card-bearing heartbeat clears it", async ({ registry, runtimes }) => {
    const runtime = await runtimes.start({ cardOnHeartbeat: false });
    const failed = await runtime.registerWithUnresolvableHost();
    expect(failed.status).toBe(400);
    expect(ErrorBody.parse(failed.body).reason).toBe("url_validate_failed");
    const degraded = await registry.workspace(runtime.id);
    expect(degraded.status).toBe("degraded");
    expect(degraded.markers.filter((marker) => marker.active).map((marker) => marker.reason)).toEqual(["url_validate_failed"]);

    expect((await runtime.heartbeat({ card: true })).status).toBe(200);
    const recovered = await registry.workspace(runtime.id);
    expect(recovered.status).toBe("online");
    expect(recovered.markers.filter((marker) => marker.active)).toEqual([]);
  });
});
