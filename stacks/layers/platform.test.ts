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
  // The manager is a VM: only the indexer's named consumers reach siem, on the OpenSearch API.
  allow("response", "siem", tcp(9200));
  allow("monitoring", "siem", tcp(9200));
  for (const layer of layers) {
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

  it("takes its ports from the service table: OpenSearch into siem for its consumers only, Keycloak into identity", () => {
    assert.deepEqual(mergeFlows(platformFlows(["identity", "siem", "response"])), [
      { from: namespaceOf("response"), to: namespaceOf("identity"), ports: tcp(8443) },
      { from: namespaceOf("response"), to: namespaceOf("siem"), ports: tcp(9200) },
      { from: namespaceOf("siem"), to: namespaceOf("identity"), ports: tcp(8443) },
    ]);
  });

  it("sends no agent port (1514/1515) into any namespace: the Wazuh manager is a VM", () => {
    for (const flow of platformFlows([...WORKLOAD_LAYERS]))
      assert.ok(
        flow.ports.every((port) => port.port !== 1514 && port.port !== 1515),
        `${flow.from} → ${flow.to}`,
      );
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
