import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import {
  disabledComponents,
  k3sPackagedComponents,
  k3sPackagedComponentsOf,
} from "./k3s-packaged-components";
import { k3sServer } from "./k3s-packaged-components.fixtures";

describe("k3s-packaged-components", () => {
  it("reads disable lists in every spelling k3s accepts", () => {
    assert.deepEqual([...disabledComponents("disable:\n  - traefik\n  - 'servicelb'\n")].sort(), [
      "servicelb",
      "traefik",
    ]);
    assert.deepEqual([...disabledComponents('disable: [traefik, "metrics-server"]\n')].sort(), [
      "metrics-server",
      "traefik",
    ]);
    assert.deepEqual([...disabledComponents("disable: traefik,servicelb\n")].sort(), [
      "servicelb",
      "traefik",
    ]);
    assert.deepEqual(
      [...disabledComponents("INSTALL_K3S_EXEC='server --disable=traefik --disable servicelb'")].sort(),
      ["servicelb", "traefik"],
    );
  });

  it("names each server and the components nobody reviewed", async () => {
    const violations = await evaluatePolicies(
      [k3sPackagedComponents],
      [k3sServer("k3s-server-1", "disable:\n  - metrics-server\n")],
      { "k3s-packaged-components": { keptComponents: ["coredns"] } },
    );
    assert.equal(violations.length, 1);
    assert.match(violations[0]?.message ?? "", /k3s-server-1 .* servicelb, traefik, local-storage, runtimes/);
  });

  it("lists, per server, what k3s runs by itself and what is disabled (plan.json)", () => {
    const server = k3sServer("k3s-server-1", "disable:\n  - metrics-server\n  - traefik\n");
    const agent = k3sServer("k3s-agent-1", "disable:\n  - traefik\n", "agent");
    assert.deepEqual(k3sPackagedComponentsOf([server, agent]), [
      {
        server: "k3s-server-1",
        urn: server.urn,
        running: ["coredns", "servicelb", "local-storage", "runtimes"],
        disabled: ["traefik", "metrics-server"],
      },
    ]);
  });
});
