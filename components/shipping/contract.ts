/**
 * What the shipper takes, typed here because a shared block imports no layer: the same shapes as the
 * SIEM's `SshHost` and `IndexerAccess` (components/siem/contract.ts), so that the hypervisor's VM
 * outputs and `Siem.indexerAccess("vector", "vm")` are handed over as they are (contract.test.ts
 * checks that they fit).
 */
import type * as pulumi from "@pulumi/pulumi";

/** A Fortress VM reached over SSH: its inventory name, address, pinned host key and admin login. */
export interface ShipperHost {
  readonly name: string;
  readonly address: string;
  readonly fqdn: string;
  readonly hostKey: pulumi.Input<string>;
  readonly user: string;
  readonly privateKey: pulumi.Input<string>;
}

/** The indexer as a VM reaches it, with the shipper's own index-scoped user. */
export interface IndexerTarget {
  readonly url: pulumi.Output<string>;
  readonly caCertificatePem: pulumi.Output<string>;
  readonly username: string;
  readonly password: pulumi.Output<string>;
}
