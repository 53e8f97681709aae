import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { type CapturedResource, captureRegistrations } from "../../stacks/plan/capture";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { FlowCollector } from "../sensors/flows/collector";
import { VECTOR_SHIPPER_TYPE, VectorShipper } from "./vectorShipper";

const PASSWORD = "VECTOR-INDEXER-CANARY-0001";
const SSH = "-----BEGIN OPENSSH PRIVATE KEY-----\nSSH-CANARY-0002\n-----END OPENSSH PRIVATE KEY-----\n";
const CA = "-----BEGIN CERTIFICATE-----\nLAB-CA\n-----END CERTIFICATE-----\n";
const HOST = {
  name: "zeek-1",
  address: "10.10.40.15",
  fqdn: "zeek-1.lab.example",
  hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5zeek-host-key",
  user: "fortress",
  privateKey: pulumi.secret(SSH),
};

type Inputs = Record<string, any>;
let resources: CapturedResource[] = [];
let shipper: VectorShipper;
let collector: FlowCollector;
const settled: Record<string, { value: unknown; secret: boolean }> = {};
const settle = <T>(output: pulumi.Output<T>) =>
  new Promise<{ value: T; secret: boolean }>((resolve) =>
    pulumi
      .all([output, pulumi.isSecret(output)])
      .apply(([value, secret]) => resolve({ value: value as T, secret })),
  );

describe("VectorShipper with the FlowCollector's stream", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      { newResource: (mock) => ({ id: `${mock.name}-id`, state: mock.inputs }), call: (mock) => mock.inputs },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    collector = new FlowCollector("flows", { host: HOST, port: 2055, sources: ["10.10.40.1"] });
    shipper = new VectorShipper("ship", {
      host: HOST,
      indexer: {
        url: pulumi.output("https://10.10.20.21:9200"),
        caCertificatePem: pulumi.output(CA),
        username: "fortress-vector",
        password: pulumi.secret(PASSWORD),
      },
      streams: [
        collector.stream,
        { id: "zeek", paths: ["/opt/zeek/logs/current/*.log"], index: "fortress-zeek" },
      ],
    });
    settled.stdin = await settle(shipper.install.stdin as pulumi.Output<string>);
    settled.create = await settle(shipper.install.create as pulumi.Output<string>);
    settled.connection = await settle(shipper.install.connection as pulumi.Output<Inputs>);
    settled.flows = await settle(collector.install.create as pulumi.Output<string>);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("registers under their own tokens, every resource a child; the shipper's token names no layer", () => {
    assert.equal(VECTOR_SHIPPER_TYPE, "fortress:shipping:VectorShipper");
    for (const [type, name] of [
      [COMPONENT_TYPES.vectorShipper, "ship"],
      [COMPONENT_TYPES.flowCollector, "flows"],
    ] as const) {
      const component = resources.find((resource) => resource.type === type);
      assert.ok(component, type);
      const install = resources.find((resource) => resource.name === `${name}-install`);
      assert.equal(install?.parent, component.urn);
    }
  });

  it("installs over SSH pinned to the host key, the password on stdin only (secret), nothing logged", () => {
    const connection = settled.connection?.value as Inputs;
    assert.equal(connection.host, "10.10.40.15");
    assert.equal(connection.hostKey, HOST.hostKey);
    assert.deepEqual(settled.stdin, { value: `${PASSWORD}\n`, secret: true });
    const create = String(settled.create?.value);
    assert.ok(!create.includes(PASSWORD) && !create.includes("SSH-CANARY"));
    const install = resources.find((resource) => resource.name === "ship-install");
    assert.equal((install?.inputs as Inputs).logging, "none");
    assert.ok(!JSON.stringify(resources).includes(PASSWORD), "the password is recorded");
  });

  it("ships the collector's JSON lines and Zeek's logs, each to its own daily index, on the indexer the SIEM hands it", () => {
    const create = String(settled.create?.value);
    const body =
      /cat > "\$work\/vector\.yaml" <<'FORTRESS_VECTOR_YAML'\n([\s\S]*?)\nFORTRESS_VECTOR_YAML/.exec(
        create,
      )?.[1];
    assert.ok(body);
    const config = yaml.load(body) as Inputs;
    assert.deepEqual(config.sources.netflow_files.include, ["/var/log/fortress/netflow/*.json"]);
    assert.equal(config.sinks.netflow_indexer.bulk.index, "fortress-netflow-%Y.%m.%d");
    assert.equal(config.sinks.zeek_indexer.bulk.index, "fortress-zeek-%Y.%m.%d");
    assert.deepEqual(config.sinks.zeek_indexer.endpoints, ["https://10.10.20.21:9200"]);
    assert.match(config.transforms.netflow_fields.source, /^\.fortress\.host = "zeek-1"$/m);
    assert.ok(create.includes(CA.trim()));
    assert.deepEqual(shipper.indices, { netflow: "fortress-netflow", zeek: "fortress-zeek" });
  });

  it("collects NetFlow on the Zeek VM's address from the firewall only, and says where", () => {
    assert.equal(collector.streamPath, "/var/log/fortress/netflow/*.json");
    assert.deepEqual(collector.listen, { address: "10.10.40.15", port: 2055 });
    assert.match(
      String(settled.flows?.value),
      /-b 10\.10\.40\.15 -4 -p 2055 -t 300 -y -e -n fw0,10\.10\.40\.1,/,
    );
    assert.throws(
      () => new FlowCollector("bad", { host: HOST, port: 2055, sources: ["0.0.0.0/0"] }),
      /no firewall address/,
    );
  });
});
