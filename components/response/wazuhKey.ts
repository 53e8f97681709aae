/**
 * The Wazuh service account's TheHive API key, read back from the Secret TheHive's accounts Job fills
 * (accounts.ts: Pulumi makes the Secret empty and ignores its data; the Job writes the key). The read
 * waits for the Job, and its id is derived from the Job's id, so a preview before the Job exists reads
 * nothing (an unknown id) instead of failing on a Secret without the key. An empty key reaches the
 * manager's bridge, which refuses it ("no TheHive API key on stdin").
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { WazuhBridge } from "./thehive";

export function readWazuhKey(
  name: string,
  bridge: WazuhBridge,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const { namespace, name: secretName, key } = bridge.keySecret;
  // A resource's id is unknown in a preview that creates it: then so is the read's id, and nothing is read.
  const ready = pulumi.all(
    bridge.ready.map((resource) =>
      resource instanceof pulumi.CustomResource ? resource.id : pulumi.output(resource.urn),
    ),
  );
  const id = ready.apply(() => `${namespace}/${secretName}`);
  const secret = k8s.core.v1.Secret.get(name, id, {
    ...opts,
    dependsOn: [...bridge.ready],
    additionalSecretOutputs: ["data", "stringData"],
  });
  return pulumi.secret(
    secret.data.apply((data) => {
      const encoded = data?.[key];
      if (encoded === undefined) return "";
      return Buffer.from(encoded, "base64").toString("utf8").trim();
    }),
  );
}
