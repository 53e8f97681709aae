/**
 * The endpoint layer's component: every Fortress VM in the enrollment plan becomes a Wazuh agent in its
 * role's group. The groups are made first through the manager's API (WazuhAgentGroup, each with its
 * agent.conf), after the manager is ready; then each VM is enrolled over SSH (enrollScript.ts), pinned
 * to its own host key, with the enrollment password on stdin (never on a command line), after its
 * group exists. With ClamAV on, the lab's one clamd (clamav/clamav.ts) is built here too, and each
 * enrollment installs the agent side pointing at its address (an Output of the clamd's Service).
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { ManagerEndpoint, SshHost } from "../siem/contract";
import type { FirewallRef } from "../opnsense/provider";
import { SyslogDestination } from "../opnsense/resources";
import { WAZUH_ENROLLMENT_MARKER } from "../../vocabulary/agents";
import { SERVICES } from "../../vocabulary/services";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { type AgentProfile, renderAgentConf } from "./agentConf";
import { WazuhAgentGroup } from "./agentGroup";
import { Clamav, type ClamavArgs } from "./clamav/clamav";
import { clamavAgentFiles } from "./clamav/agentSide";
import { enrollScript, physicalEnrollCommand } from "./enrollScript";

export const ENDPOINT_TYPE = COMPONENT_TYPES.endpoint;

/** One VM of the plan: where to reach it and the profile (group) it joins. */
export interface EnrolledVm {
  readonly host: SshHost;
  readonly profile: AgentProfile;
  /** The VM's id: a new VM (a replacement) enrolls again, and the enrollment depends on the VM. */
  readonly vmId?: pulumi.Input<number>;
  /**
   * Outside the layer's barrier: a VM the hypervisor keeps out of its own (the GPU worker, which may
   * not start), so that its enrollment holds back no layer after this one.
   */
  readonly detached?: boolean;
}

export interface EndpointArgs {
  readonly manager: ManagerEndpoint;
  readonly vms: readonly EnrolledVm[];
  /** The group physical devices join, with its profile (the workstation's by default). */
  readonly physical: AgentProfile;
  /** Where an admin finds the enrollment password, for the physical-device command (never the password). */
  readonly passwordWhere: string;
  /** OPNsense, whose logs go to the manager; `ready` is the network layer's preflight. */
  readonly firewall?: { readonly ref: pulumi.Input<FirewallRef>; readonly ready: pulumi.Resource };
  /** The lab's clamd, when the `clamav` service is on (its Kubernetes resources use the opts' provider). */
  readonly clamav?: ClamavArgs;
}

/** The firewall's syslog to the manager: BSD syslog over UDP 514, the port the zone matrix's `syslog` service opens. */
export const MANAGER_SYSLOG_PORT = SERVICES.syslog.udp[0] ?? 514;

/** Which VM joins which group, by VM name. */
function membershipOf(vms: readonly EnrolledVm[]): Record<string, string> {
  return Object.fromEntries(vms.map((vm) => [vm.host.name, vm.profile.group]));
}

export class Endpoint extends pulumi.ComponentResource {
  /** The groups on the manager, by group name. */
  readonly groups: Readonly<Record<string, WazuhAgentGroup>>;
  /** The enrollment command of each VM, by VM name. */
  readonly enrollments: Readonly<Record<string, command.remote.Command>>;
  /** Which VM is in which group. */
  readonly membership: Readonly<Record<string, string>>;
  /** The command that enrolls a physical device (no secret in it). */
  readonly physicalEnrollCommand: pulumi.Output<string>;
  /** OPNsense's log destination at the manager, when the firewall is Fortress's. */
  readonly firewallSyslog: SyslogDestination | undefined;
  /** What the layer's barrier waits for: everything but the enrollments of detached VMs. */
  readonly barrierWaitsFor: readonly pulumi.Resource[];
  /** The lab's clamd, when ClamAV is on. */
  readonly clamav: Clamav | undefined;

  constructor(name: string, args: EndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    // The component's inputs say which VM joins which group: plan.json records them.
    super(
      ENDPOINT_TYPE,
      name,
      { membership: membershipOf(args.vms), physicalGroup: args.physical.group },
      opts,
    );
    const { manager } = args;
    const api = pulumi
      .all([manager.apiUrl, manager.apiPassword, manager.apiCaCertificatePem])
      .apply(([url, password, caCert]) => ({ url, username: manager.apiUsername, password, caCert }));

    const profiles = new Map<string, AgentProfile>();
    for (const profile of [...args.vms.map((vm) => vm.profile), args.physical])
      profiles.set(profile.group, profile);
    const groups: Record<string, WazuhAgentGroup> = {};
    for (const [group, profile] of [...profiles].sort(([a], [b]) => a.localeCompare(b))) {
      groups[group] = new WazuhAgentGroup(
        `${name}-group-${group}`,
        { api, name: group, configuration: renderAgentConf(profile) },
        { parent: this, dependsOn: [...manager.ready] },
      );
    }

    const clamav = args.clamav ? new Clamav(`${name}-clamav`, args.clamav, { parent: this }) : undefined;
    const clamd = clamav
      ? clamav.address.apply((host) => clamavAgentFiles({ host, port: clamav.port }))
      : pulumi.output(undefined);

    const enrollments: Record<string, command.remote.Command> = {};
    const membership = membershipOf(args.vms);
    for (const vm of args.vms) {
      const { host, profile } = vm;
      const group = groups[profile.group] as WazuhAgentGroup;
      const script = pulumi.all([manager.address, clamd]).apply(([address, files]) =>
        enrollScript({
          manager: address,
          group: profile.group,
          agentName: host.name,
          ...(files ? { clamav: files } : {}),
        }),
      );
      enrollments[host.name] = new command.remote.Command(
        `${host.name}-wazuh-agent`,
        {
          connection: {
            host: host.address,
            user: host.user,
            privateKey: pulumi.secret(host.privateKey),
            hostKey: host.hostKey,
          },
          create: script,
          // Re-run in place (the script is idempotent) when the manager's address or the group changes.
          update: script,
          stdin: pulumi.secret(manager.enrollmentPassword),
          logging: "none",
          // The marker and the VM's id tell the pack which VM this enrolls (every-vm-has-an-agent).
          triggers: [WAZUH_ENROLLMENT_MARKER, profile.group, ...(vm.vmId === undefined ? [] : [vm.vmId])],
        },
        {
          parent: this,
          dependsOn: [group, ...manager.ready],
          additionalSecretOutputs: ["stdin"],
        },
      );
    }

    this.firewallSyslog = args.firewall
      ? new SyslogDestination(
          `${name}-opnsense-syslog`,
          {
            firewall: args.firewall.ref,
            fields: {
              enabled: true,
              transport: "udp4",
              hostname: manager.address,
              port: MANAGER_SYSLOG_PORT,
              rfc5424: false,
              // Everything but debug: the firewall's filter log, sshd, the web GUI's logins, configd.
              level: ["info", "notice", "warn", "err", "crit", "alert", "emerg"],
              description: "fortress: firewall logs to the Wazuh manager",
            },
          },
          { parent: this, dependsOn: [args.firewall.ready, ...manager.ready] },
        )
      : undefined;
    const detached = new Set(args.vms.filter((vm) => vm.detached).map((vm) => vm.host.name));
    this.barrierWaitsFor = [
      ...Object.values(groups),
      ...Object.entries(enrollments)
        .filter(([vm]) => !detached.has(vm))
        .map(([, enrollment]) => enrollment),
      ...(this.firewallSyslog ? [this.firewallSyslog] : []),
      ...(clamav ? [clamav] : []),
    ];
    this.clamav = clamav;
    this.groups = groups;
    this.enrollments = enrollments;
    this.membership = membership;
    this.physicalEnrollCommand = manager.address.apply((address) =>
      physicalEnrollCommand({
        manager: address,
        group: args.physical.group,
        passwordWhere: args.passwordWhere,
      }),
    );
    this.registerOutputs({ membership, physicalEnrollCommand: this.physicalEnrollCommand });
  }
}
