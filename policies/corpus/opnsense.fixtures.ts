/** Class 1: OPNsense addresses and scope, in spellings the rules' own fixtures never used. */
import type { Corpus } from "./lab.fixtures";

const USERS = { interface: "opt3", source_net: "fz_net_users" };
const TCP = (port: string) => ({ protocol: "TCP", destination_port: port });

export const opnsenseCorpus: Corpus = {
  violations: [
    {
      name: "any → any as a comma list of IPv4 halves",
      policy: "opnsense-no-any-to-any",
      build: (lab) =>
        lab.newRule("halves", {
          interface: "opt3",
          source_net: "0.0.0.0/1,128.0.0.0/1",
          destination_net: "any",
        }),
    },
    {
      name: "any → any over IPv6, both sides as ::/1 halves",
      policy: "opnsense-no-any-to-any",
      build: (lab) =>
        lab.newRule("v6-halves", {
          interface: "opt3",
          ipprotocol: "inet6",
          source_net: "::/1,8000::/1",
          destination_net: "::/1, 8000::/1",
        }),
    },
    {
      name: "users to every IPv6 address on 443, which no matrix entry grants",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab.newRule("v6-web", {
          ...USERS,
          ipprotocol: "inet6",
          destination_net: "::/1,8000::/1",
          ...TCP("443"),
        }),
    },
    {
      name: "an inverted rule (every interface but quarantine) into management",
      policy: "opnsense-no-pass-into-management",
      build: (lab) =>
        lab.newRule("inverted", {
          interface: "opt6",
          interfacenot: "1",
          destination_net: "fz_net_mgmt",
          ...TCP("443"),
        }),
    },
    {
      name: "a floating rule on users and iot into management",
      policy: "opnsense-no-pass-into-management",
      build: (lab) =>
        lab.newRule("floating", { interface: "opt3,opt4", destination_net: "10.10.10.0/24", ...TCP("8006") }),
    },
    {
      name: "a block on users that ties with the anti-lockout's sequence (OPNsense breaks ties by UUID)",
      policy: "opnsense-anti-lockout-first",
      build: (lab) =>
        lab.newRule("lockout-tie", {
          ...USERS,
          action: "block",
          ipprotocol: "inet46",
          destination_net: "fz_net_mgmt",
          sequence: "2",
        }),
    },
    {
      name: "a block on an interface named like a group (a group's rules, or none, the plan cannot tell)",
      policy: "opnsense-anti-lockout-first",
      build: (lab) =>
        lab.newRule("group-block", {
          interface: "lab_vlans",
          action: "block",
          ipprotocol: "inet46",
          destination_net: "fz_net_mgmt",
          sequence: "9000",
        }),
    },
    {
      name: "a pass on the WAN",
      policy: "opnsense-rule-scope",
      build: (lab) =>
        lab.newRule("wan", { interface: "wan", destination_net: "fz_net_servers", ...TCP("443") }),
    },
    {
      name: "a pass on an interface no Fortress network uses",
      policy: "opnsense-rule-scope",
      build: (lab) => lab.newRule("opt9", { interface: "opt9", destination_net: "any" }),
    },
    {
      name: "a floating rule with no interface at all",
      policy: "opnsense-rule-scope",
      build: (lab) =>
        lab.newRule("no-interface", { interface: "", action: "block", destination_net: "fz_net_servers" }),
    },
    {
      name: "users to the firewall's UI at (self)",
      policy: "opnsense-firewall-ui",
      build: (lab) =>
        lab.newRule("self-ui", { ...USERS, destination_net: "(self)", ...TCP("443"), sequence: "8000" }),
    },
    {
      name: "users to the firewall's servers-VLAN address, spelled opt1ip, for ssh",
      policy: "opnsense-firewall-ui",
      build: (lab) =>
        lab.newRule("opt1ip", { ...USERS, destination_net: "opt1ip", ...TCP("22"), sequence: "8000" }),
    },
    {
      name: "the block to (self) removed: users → servers (https) reaches the UI at the servers gateway",
      policy: "opnsense-firewall-ui",
      build: (lab) =>
        lab.without(lab.rule("fortress: users → firewall, other addresses and services blocked")),
    },
    {
      name: "the block to (self) renumbered after the passes",
      policy: "opnsense-firewall-ui",
      build: (lab) =>
        lab.editRule("fortress: users → firewall, other addresses and services blocked", {
          sequence: "8150",
        }),
    },
    {
      name: "the block to (self) narrowed to ssh, leaving the web UI open",
      policy: "opnsense-firewall-ui",
      build: (lab) =>
        lab
          .editRule("fortress: guest → firewall, other addresses and services blocked", { ...TCP("22") })
          .newRule("guest-admin", {
            interface: "opt5",
            source_net: "fz_net_guest",
            destination_net: "10.10.20.0/23",
            ...TCP("443"),
            sequence: "12010",
          }),
    },
    {
      name: "a default deny that is not logged",
      policy: "opnsense-default-deny",
      build: (lab) => lab.editRule("fortress: users default deny", { log: "0" }),
    },
    {
      name: "a default deny that covers IPv4 only",
      policy: "opnsense-default-deny",
      variantOf: "opnsense-default-deny: the deny only covers IPv4 TCP",
      build: (lab) => lab.editRule("fortress: iot default deny", { ipprotocol: "inet" }),
    },
    {
      name: "users → sensors (syslog), which the matrix does not grant",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab.newRule("users-sensors", {
          ...USERS,
          protocol: "UDP",
          destination_net: "fz_net_sensors",
          destination_port: "514",
        }),
    },
    {
      name: "servers → internet ssh, beside the granted http and https",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab.newRule("servers-ssh-out", {
          interface: "opt1",
          source_net: "fz_net_servers",
          destination_net: "fz_private",
          destination_not: "1",
          ...TCP("22"),
          sequence: "4100",
        }),
    },
    {
      name: "the granted users → servers (https) widened to every protocol",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab.editRule("fortress zones: users → servers (https)", { protocol: "any", destination_port: "" }),
    },
    {
      name: "guest → servers through an alias the compiler never wrote",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab.newAlias("partners", "host", "10.10.20.10\n10.10.20.11").newRule("guest-partners", {
          interface: "opt5",
          source_net: "fz_net_guest",
          destination_net: "partners",
          ...TCP("443"),
          sequence: "12010",
        }),
    },
    {
      name: "users → everything but management, as an alias with an exclusion",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab
          .newAlias("not_mgmt", "network", "0.0.0.0/0\n!10.10.10.0/24")
          .newRule("not-mgmt", { ...USERS, destination_net: "not_mgmt", ...TCP("443") }),
    },
    {
      name: "users into management through a network group alias",
      policy: "opnsense-no-pass-into-management",
      build: (lab) =>
        lab
          .newAlias("backends", "networkgroup", "fz_net_servers,fz_net_mgmt")
          .newRule("group", { ...USERS, destination_net: "backends", ...TCP("443") }),
    },
    {
      name: "an outbound pass on the management interface from users",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab.newRule("outbound", {
          interface: "lan",
          direction: "out",
          source_net: "fz_net_users",
          destination_net: "any",
          sequence: "2100",
        }),
    },
    {
      name: "users → servers on a port alias that adds the Proxmox UI",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab
          .newAlias("web_admin", "port", "443\n8006")
          .newRule("web-admin", { ...USERS, destination_net: "fz_net_servers", ...TCP("web_admin") }),
    },
    {
      name: "a pass out of quarantine",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab.newRule("quarantine-out", {
          interface: "opt6",
          source_net: "fz_net_quarantine",
          destination_net: "fz_private",
          destination_not: "1",
          ...TCP("443"),
          sequence: "19000",
        }),
    },
    {
      name: "users' DNS to every firewall address ((self)) instead of their gateway",
      policy: "opnsense-zone-matrix",
      build: (lab) =>
        lab.newRule("dns-self", {
          ...USERS,
          protocol: "TCP/UDP",
          destination_net: "(self)",
          destination_port: "53",
          sequence: "8000",
        }),
    },
  ],
  twins: [
    {
      name: "a block on users with a sequence just above the anti-lockout's",
      build: (lab) =>
        lab.newRule("after-lockout", {
          ...USERS,
          action: "block",
          ipprotocol: "inet46",
          destination_net: "fz_net_mgmt",
          sequence: "3",
        }),
    },
    {
      name: "users → servers (https) spelled as a CIDR and a port number",
      build: (lab) =>
        lab.editRule("fortress zones: users → servers (https)", {
          destination_net: "10.10.20.0/24",
          destination_port: "443",
        }),
    },
    {
      name: "users → servers (https) as two /25 halves",
      build: (lab) =>
        lab.editRule("fortress zones: users → servers (https)", {
          destination_net: "10.10.20.0/25, 10.10.20.128/25",
        }),
    },
    {
      name: "a disabled pass on the WAN",
      build: (lab) => lab.newRule("wan-off", { interface: "wan", enabled: "0", destination_net: "any" }),
    },
    {
      name: "a logged ICMP block on users before the deny",
      build: (lab) =>
        lab.newRule("icmp", {
          ...USERS,
          action: "block",
          protocol: "ICMP",
          ipprotocol: "inet46",
          log: "1",
          destination_net: "any",
        }),
    },
    {
      name: "users → internet (https) to a public documentation range",
      build: (lab) => lab.newRule("public", { ...USERS, destination_net: "203.0.113.0/24", ...TCP("443") }),
    },
    {
      name: "users' DNS to their gateway spelled opt3ip",
      build: (lab) => lab.editRule("fortress zones: users → firewall (dns)", { destination_net: "opt3ip" }),
    },
  ],
};
