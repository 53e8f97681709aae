import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import { alertmanagerConfig, type AlertmanagerInput } from "./config";
import { BRIDGE, INPUTS, MOUNT } from "./configs.fixtures";

/** Every `*_file` value in the YAML. */
function fileRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) fileRefs(item, out);
  else if (value && typeof value === "object")
    for (const [key, item] of Object.entries(value)) {
      if (key.endsWith("_file") && typeof item === "string") out.push(item);
      else fileRefs(item, out);
    }
  return out;
}

describe("alertmanagerConfig", () => {
  it("mounts each secret it refers to, and refers only to files under the mount", () => {
    for (const [name, input] of Object.entries(INPUTS)) {
      const config = alertmanagerConfig(input);
      const refs = [...new Set(fileRefs(yaml.load(config.yaml)))].sort();
      assert.deepEqual(
        refs,
        Object.keys(config.secretFiles)
          .map((file) => `${MOUNT}/${file}`)
          .sort(),
        name,
      );
      assert.equal(config.secretsMountPath, MOUNT);
    }
  });

  it("opens TheHive alerts with resolutions, and has no channel but TheHive when none is configured", () => {
    const parsed = yaml.load(alertmanagerConfig(INPUTS["TheHive only"]!).yaml) as {
      receivers: { name: string; webhook_configs?: { url: string; send_resolved: boolean }[] }[];
    };
    assert.deepEqual(
      parsed.receivers.map((receiver) => receiver.name),
      ["thehive", "null"],
    );
    assert.deepEqual(parsed.receivers[0]?.webhook_configs?.[0], {
      send_resolved: true,
      url: BRIDGE,
      max_alerts: 0,
    });
  });

  it("without TheHive has no thehive receiver: the channel and null, or null alone", () => {
    const names = (name: string) =>
      (yaml.load(alertmanagerConfig(INPUTS[name]!).yaml) as { receivers: { name: string }[] }).receivers.map(
        (receiver) => receiver.name,
      );
    assert.deepEqual(names("no TheHive, an ntfy webhook with a token"), ["notify", "null"]);
    assert.deepEqual(names("no TheHive and no channel"), ["null"]);
    const route = (
      yaml.load(alertmanagerConfig(INPUTS["no TheHive and no channel"]!).yaml) as {
        route: { receiver: string; routes: { receiver: string }[] };
      }
    ).route;
    assert.equal(route.receiver, "null");
    assert.ok(route.routes.every((child) => child.receiver === "null"));
    assert.throws(
      () => alertmanagerConfig({ secretsMountPath: MOUNT, theHiveBridgeToken: "t" }),
      /bridge token without the bridge's URL/,
    );
  });

  it("refuses what Alertmanager would refuse or what leaks", () => {
    const refused: [string, AlertmanagerInput][] = [
      ["a bridge without a scheme", { theHiveBridgeUrl: "thehive-bridge:8080", secretsMountPath: MOUNT }],
      ["a relative mount", { theHiveBridgeUrl: BRIDGE, secretsMountPath: "secrets" }],
      [
        "a smarthost without a port",
        {
          theHiveBridgeUrl: BRIDGE,
          secretsMountPath: MOUNT,
          notification: { kind: "email", smarthost: "mail", from: "a@b", to: "c@d" },
        },
      ],
      [
        "a password without a username",
        {
          theHiveBridgeUrl: BRIDGE,
          secretsMountPath: MOUNT,
          notification: { kind: "email", smarthost: "mail:25", from: "a@b", to: "c@d", password: "x" },
        },
      ],
      [
        "an ftp webhook",
        {
          theHiveBridgeUrl: BRIDGE,
          secretsMountPath: MOUNT,
          notification: { kind: "webhook", url: "ftp://x/y" },
        },
      ],
    ];
    for (const [name, input] of refused)
      assert.throws(() => alertmanagerConfig(input), /alertmanager:/, name);
  });
});
