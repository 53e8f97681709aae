import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type FlowPort, mergeFlows, type NamespaceFlow } from "../../components/kubernetes/flows";
import { LAYERS, type LayerName } from "../blueprint";
import { namespaceOf, WORKLOAD_LAYERS } from "../cluster";
import { platformFlows } from "./platform";

const tcp = (...ports: number[]): FlowPort[] => ports.map((port) => ({ port, protocol: "TCP" }));

/**
 * The flow table as it was written by hand before it became FlowRule rows, with the port numbers of
 * the documented table (stacks/layers/platform.ts): the reference the compiled table must match.
 */
function handWrittenFlows(layers: readonly LayerName[]): NamespaceFlow[] {
  const present = new Set(layers);
  const flows: NamespaceFlow[] = [];
  const allow = (from: LayerName, to: LayerName, ports: FlowPort[]) => {
    if (from !== to && present.has(from) && present.has(to))
      flows.push({ from: namespaceOf(from), to: namespaceOf(to), ports });
  };
  for (const layer of layers) {
    allow(layer, "siem", tcp(1514, 1515, 9200));
    allow(layer, "identity", tcp(8443));
    allow(layer, "monitoring", tcp(3100));
    allow("monitoring", layer, tcp(8080, 9000, 9187, 9200));
  }
  return flows;
}

describe("platformFlows", () => {
  it("compiles the platform's flow table to exactly the flows the hand-written table allowed", () => {
    const subsets: LayerName[][] = [
      [...WORKLOAD_LAYERS],
      WORKLOAD_LAYERS.filter((layer) => layer !== "monitoring"),
      WORKLOAD_LAYERS.filter((layer) => layer !== "siem" && layer !== "identity"),
      ["identity"],
      [],
    ];
    for (const layers of subsets) {
      assert.ok(layers.every((layer) => LAYERS.includes(layer)));
      assert.deepEqual(
        mergeFlows(platformFlows(layers)),
        mergeFlows(handWrittenFlows(layers)),
        layers.join(","),
      );
    }
  });

  it("takes its ports from the service table: Wazuh and OpenSearch into siem, Keycloak into identity", () => {
    assert.deepEqual(mergeFlows(platformFlows(["identity", "siem"])), [
      { from: namespaceOf("identity"), to: namespaceOf("siem"), ports: tcp(1514, 1515, 9200) },
      { from: namespaceOf("siem"), to: namespaceOf("identity"), ports: tcp(8443) },
    ]);
  });

  it("gives no namespace a flow to itself and none to a layer that is not there", () => {
    const flows = platformFlows(["identity", "monitoring"]);
    assert.ok(flows.length > 0);
    for (const flow of flows) {
      assert.notEqual(flow.from, flow.to);
      assert.ok(
        [flow.from, flow.to].every(
          (end) => end === namespaceOf("identity") || end === namespaceOf("monitoring"),
        ),
      );
    }
  });
});
