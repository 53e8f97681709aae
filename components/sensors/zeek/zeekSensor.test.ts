import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../../../stacks/plan/capture";
import { CAPTURE_VLAN, MIRROR_COMMAND, MIRROR_CONFIG } from "../../../vocabulary/capture";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { captureUnderMocks } from "../../../test/support/mockRuntime";
import { mirrorConfig } from "./mirror";
import { ZeekSensor } from "./zeekSensor";

const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nZEEK-SSH-CANARY\n-----END OPENSSH PRIVATE KEY-----\n";
const NODE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nNODE-SSH-CANARY\n-----END OPENSSH PRIVATE KEY-----\n";
const VM_HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5zeek-vm-host-key";
const NODE_HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5pve-node-host-key";

type Inputs = Record<string, any>;
let resources: CapturedResource[] = [];
let sensor: ZeekSensor;
const seen = new Map<string, { create: string; delete: string; connection: Inputs; secretKey: boolean }>();
let logDir = "";

const settle = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((resolve) => pulumi.output(output).apply((value) => resolve(value as T)));
const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}`);
  return found;
};

describe("ZeekSensor", () => {
  before(async () => {
    resources = await captureUnderMocks();
    sensor = new ZeekSensor("zeek", {
      host: {
        name: "zeek-1",
        address: "10.0.30.10",
        fqdn: "zeek-1.lab.example",
        hostKey: VM_HOST_KEY,
        user: "ops",
        privateKey: pulumi.secret(SSH_KEY),
      },
      node: {
        name: "pve-a",
        address: "10.0.10.11",
        user: "root",
        privateKey: pulumi.secret(NODE_KEY),
        hostKey: NODE_HOST_KEY,
      },
      vmId: pulumi.output(123),
      localNets: ["10.0.10.0/24", "10.0.30.0/24"],
      mirror: { mode: "vm-taps", uplink: "eno1", spanNic: "enx001122" },
    });
    for (const command of [sensor.install, sensor.mirror]) {
      const [urn, create, del, connection, secretKey] = await Promise.all([
        settle(command.urn),
        settle(command.create as pulumi.Output<string>),
        settle(command.delete as pulumi.Output<string>),
        settle(command.connection as pulumi.Output<Inputs>),
        pulumi.isSecret(command.connection.apply((c) => c.privateKey)),
      ]);
      seen.set(urn.split("::").pop() as string, { create, delete: del, connection, secretKey });
    }
    logDir = await settle(sensor.logDir);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("registers as fortress:sensors:ZeekSensor with both commands its children, nothing logged", () => {
    const component = resources.find((resource) => resource.type === COMPONENT_TYPES.zeekSensor);
    assert.ok(component);
    assert.equal(COMPONENT_TYPES.zeekSensor, "fortress:sensors:ZeekSensor");
    for (const name of ["zeek-install", "zeek-mirror"]) {
      assert.equal(named(name).parent, component.urn);
      assert.equal((named(name).inputs as Inputs).logging, "none");
    }
  });

  it("installs Zeek on the VM over SSH pinned to its host key, the key secret and out of the script", () => {
    const install = seen.get("zeek-install");
    assert.ok(install);
    assert.equal(install.connection.host, "10.0.30.10");
    assert.equal(install.connection.hostKey, VM_HOST_KEY);
    assert.ok(install.secretKey);
    assert.ok(!install.create.includes("CANARY"));
    assert.match(install.create, /zeek-8\.0-core=8\.0\.11-0 zeekctl-8\.0=8\.0\.11-0 ethtool=1:6\.1-1/);
    assert.match(install.create, /apt-mark hold zeek-8\.0-core zeekctl-8\.0 ethtool/);
    assert.match(install.create, /interface=af_packet::ens19/);
    assert.match(install.create, /10\.0\.10\.0\/24\tFortress lab network\n10\.0\.30\.0\/24\t/);
    assert.match(install.create, /@load policy\/tuning\/json-logs\.zeek/);
    assert.match(install.create, /AAF3EB044C49C402A9E7B9AE69D1B2AAEE3D166A/);
  });

  it("runs Zeek as the zeek user with CAP_NET_RAW alone, logs on the data disk", () => {
    const { create } = seen.get("zeek-install") ?? { create: "" };
    assert.match(create, /User=zeek\n/);
    assert.match(create, /AmbientCapabilities=CAP_NET_RAW\nCapabilityBoundingSet=CAP_NET_RAW\n/);
    assert.doesNotMatch(create, /CAP_NET_ADMIN|CAP_SYS_ADMIN/);
    assert.match(create, /LogDir = \/srv\/data\/zeek\/logs\nSpoolDir = \/srv\/data\/zeek\/spool/);
    assert.equal(logDir, "/srv/data/zeek/logs/current");
  });

  it("ships its logs one index per log (software.log and ssl.log type `version` differently)", () => {
    assert.deepEqual(sensor.stream, {
      id: "zeek",
      paths: ["/srv/data/zeek/logs/current/*.log"],
      index: "fortress-zeek",
      indexBy: "file",
    });
  });

  it("sets up the mirror on the node over SSH pinned to the node's key, after Zeek is installed", () => {
    const mirror = seen.get("zeek-mirror");
    assert.ok(mirror);
    assert.equal(mirror.connection.host, "10.0.10.11");
    assert.equal(mirror.connection.hostKey, NODE_HOST_KEY);
    assert.ok(mirror.secretKey);
    assert.ok(named("zeek-mirror").dependencies.includes(named("zeek-install").urn));
    assert.ok(
      mirror.create.includes(
        "target=tap123i1\nown_prefix=tap123i\nmode=vm-taps\nuplink=eno1\nspan=enx001122\n",
      ),
    );
    assert.ok(mirror.create.includes(`$as_root ${MIRROR_COMMAND} apply\n$as_root ${MIRROR_COMMAND} check`));
    assert.match(mirror.create, /systemctl enable --now fortress-mirror\.timer/);
    assert.match(mirror.create, /OnUnitActiveSec=30s/);
    assert.match(mirror.delete, /disable --now fortress-mirror\.timer[^]*fortress-mirror remove/);
    assert.match(mirror.delete, new RegExp(`${MIRROR_COMMAND} remove`));
    assert.ok(mirror.delete.includes(`rm -f '${MIRROR_COMMAND}' '${MIRROR_CONFIG}'`));
  });

  it("refuses interface names the kernel would not take and a SPAN NIC that is the uplink", () => {
    assert.throws(
      () => mirrorConfig(123, { mode: "uplink", uplink: "eno1; reboot" }),
      /not a network interface/,
    );
    assert.throws(
      () => mirrorConfig(123, { mode: "uplink", uplink: "a-very-long-name0" }),
      /not a network interface/,
    );
    assert.throws(
      () => mirrorConfig(123, { mode: "uplink", uplink: "eno1", spanNic: "eno1" }),
      /cannot be the uplink/,
    );
    assert.ok(CAPTURE_VLAN >= 1 && CAPTURE_VLAN <= 4094);
  });
});
