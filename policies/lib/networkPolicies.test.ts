import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openDirections } from "./networkPolicies";

const policy = (spec: Record<string, unknown>) => ({ spec });

describe("openDirections", () => {
  it("finds an empty rule, an everything peer and every namespace", () => {
    assert.deepEqual(openDirections(policy({ podSelector: {}, ingress: [{}] })), ["Ingress"]);
    assert.deepEqual(
      openDirections(
        policy({
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "::/0" } }] }],
        }),
      ),
      ["Egress"],
    );
    assert.deepEqual(
      openDirections(
        policy({
          podSelector: {},
          policyTypes: ["Ingress", "Egress"],
          ingress: [{ from: [{ namespaceSelector: {} }] }],
          egress: [{}],
        }),
      ),
      ["Ingress", "Egress"],
    );
  });

  it("leaves default denies, selected pods, ports, exceptions and named peers alone", () => {
    for (const spec of [
      { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      { podSelector: { matchLabels: { app: "x" } }, ingress: [{}] },
      { podSelector: {}, ingress: [{ ports: [{ port: 443 }] }] },
      { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }] }] },
      {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: "kube-system" } } }] }],
      },
      { podSelector: {}, policyTypes: ["Egress"], ingress: [{}] },
    ]) {
      assert.deepEqual(openDirections(policy(spec)), [], JSON.stringify(spec));
    }
  });
});
