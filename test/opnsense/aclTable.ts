/**
 * OPNsense's privileges per version, as the loopback server checks them: the entries of OPNsense's own
 * ACL.xml files that grant an `api/...` path the provider or its tests call, transcribed with their
 * display names at tags 25.7, 26.1 and 26.7 of opnsense/core
 * (src/opnsense/mvc/app/models/OPNsense/{Core,Firewall,Interfaces,Unbound,Kea,Dnsmasq,Syslog,IDS,Diagnostics,Cron}/ACL/ACL.xml) and
 * of opnsense/plugins (net/chrony/src/opnsense/mvc/app/models/OPNsense/Chrony/ACL/ACL.xml). Only the
 * `api/` patterns are kept. Written from the vendor's files, not from components/opnsense/privileges.ts,
 * so that a wrong name there fails a test here.
 *
 * Names that differ by version: page-filter-api is "Firewall: Automation: Filter" on 25.7 and
 * "Firewall: Rules [new]" from 26.1; page-services-unbound is "Services: Unbound (MVC)" until 26.1 and
 * "Services: Unbound" on 26.7; page-interfaces-assignnetworkports grants `api/interfaces/assignment/*`
 * only from 26.7 (before, its patterns are GUI pages only).
 */

export interface AclEntry {
  readonly key: string;
  readonly name: string;
  readonly patterns: readonly string[];
}

export const ACL_BY_VERSION: Readonly<Record<"25.7" | "26.1" | "26.7", readonly AclEntry[]>> = {
  "25.7": [
    { key: "page-all", name: "All pages", patterns: ["*"] },
    { key: "page-firewall-alias-edit", name: "Firewall: Alias: Edit", patterns: ["api/firewall/alias/*"] },
    {
      key: "page-firewall-aliases",
      name: "Firewall: Aliases",
      patterns: [
        "api/firewall/alias/export",
        "api/firewall/alias/search*",
        "api/firewall/alias/list*",
        "api/firewall/alias/get*",
      ],
    },
    {
      key: "page-diagnostics-tables",
      name: "Diagnostics: PF Table IP addresses",
      patterns: ["api/firewall/alias_util/*"],
    },
    {
      key: "page-diagnostics-showstates",
      name: "Diagnostics: Show States",
      patterns: [
        "api/diagnostics/firewall/query_states*",
        "api/diagnostics/firewall/del_state*",
        "api/diagnostics/firewall/kill_states*",
        "api/diagnostics/firewall/flush_sources*",
        "api/diagnostics/firewall/flush_states*",
      ],
    },
    { key: "page-filter-api", name: "Firewall: Automation: Filter", patterns: ["api/firewall/filter/*"] },
    {
      key: "page-interfaces-vlan-edit",
      name: "Interfaces: VLAN",
      patterns: ["api/interfaces/vlan_settings/*"],
    },
    { key: "page-status-interfaces", name: "Status: Interfaces", patterns: ["api/interfaces/overview/*"] },
    { key: "page-status-services", name: "Status: Services", patterns: ["api/core/service/*"] },
    { key: "page-services-unbound", name: "Services: Unbound (MVC)", patterns: ["api/unbound/*"] },
    {
      key: "page-services-dnsresolver-overrides",
      name: "Services: Unbound DNS: Edit Host and Domain Override",
      patterns: [
        "api/unbound/settings/search_host_override/*",
        "api/unbound/settings/get_host_override/*",
        "api/unbound/settings/set_host_override/*",
        "api/unbound/settings/add_host_override/*",
        "api/unbound/settings/del_host_override/*",
        "api/unbound/settings/toggle_host_override/*",
        "api/unbound/settings/search_host_alias/*",
        "api/unbound/settings/get_host_alias/*",
        "api/unbound/settings/set_host_alias/*",
        "api/unbound/settings/add_host_alias/*",
        "api/unbound/settings/del_host_alias/*",
        "api/unbound/settings/toggle_host_alias/*",
        "api/unbound/settings/search_domain_override/*",
        "api/unbound/settings/get_domain_override/*",
        "api/unbound/settings/set_domain_override/*",
        "api/unbound/settings/add_domain_override/*",
        "api/unbound/settings/del_domain_override/*",
        "api/unbound/settings/toggle_domain_override/*",
      ],
    },
    {
      key: "page-dhcp-kea-v4",
      name: "Services: DHCP: Kea(v4)",
      patterns: ["api/kea/dhcpv4/*", "api/kea/leases4/*", "api/kea/service/*"],
    },
    {
      key: "page-dhcp-kea-v6",
      name: "Services: DHCP: Kea(v6)",
      patterns: ["api/kea/dhcpv6/*", "api/kea/leases6/*", "api/kea/service/*"],
    },
    {
      key: "page-dhcp-kea-ctrl-agent",
      name: "Services: DHCP: Kea Ctrl Agent",
      patterns: ["api/kea/ctrl_agent/*", "api/kea/service/*"],
    },
    {
      key: "page-services-dnsforwarder",
      name: "Services: Dnsmasq DNS/DHCP: Settings",
      patterns: ["api/dnsmasq/*"],
    },
    {
      key: "page-diagnostics-logs-settings-targets",
      name: "System: Settings: Logging",
      patterns: ["api/syslog/*"],
    },
    {
      key: "page-services-ids",
      name: "Services: Intrusion Detection",
      patterns: ["api/ids/*", "api/diagnostics/log/core/suricata/*"],
    },
    {
      key: "page-diagnostics-netflow",
      name: "Diagnostics: Netflow configuration",
      patterns: ["api/diagnostics/netflow/*"],
    },
    { key: "page-system-cron", name: "System: Settings: Cron", patterns: ["api/cron/*"] },
    { key: "page-services-chrony", name: "Services: Chrony", patterns: ["api/chrony/*"] },
    {
      key: "page-system-firmware-manualupdate",
      name: "System: Firmware",
      patterns: ["api/core/firmware/*", "api/diagnostics/log/core/pkg/*"],
    },
    {
      key: "page-system-login-logout",
      name: "Lobby: Dashboard",
      patterns: [
        "api/core/dashboard/*",
        "api/diagnostics/cpu_usage/*",
        "api/diagnostics/firewall/pf_states",
        "api/diagnostics/system/system_disk",
        "api/diagnostics/system/system_information",
        "api/diagnostics/system/system_resources",
        "api/diagnostics/system/system_temperature",
        "api/diagnostics/system/system_time",
        "api/diagnostics/system/system_mbuf",
        "api/diagnostics/system/system_swap",
      ],
    },
    {
      key: "page-system-status",
      name: "System: Status",
      patterns: ["api/core/system/status*", "api/core/system/dismiss_status"],
    },
  ],
  "26.1": [
    { key: "page-all", name: "All pages", patterns: ["*"] },
    { key: "page-firewall-alias-edit", name: "Firewall: Alias: Edit", patterns: ["api/firewall/alias/*"] },
    {
      key: "page-firewall-aliases",
      name: "Firewall: Aliases",
      patterns: [
        "api/firewall/alias/export",
        "api/firewall/alias/search*",
        "api/firewall/alias/list*",
        "api/firewall/alias/get*",
      ],
    },
    {
      key: "page-diagnostics-tables",
      name: "Diagnostics: PF Table IP addresses",
      patterns: ["api/firewall/alias_util/*"],
    },
    {
      key: "page-diagnostics-showstates",
      name: "Diagnostics: Show States",
      patterns: [
        "api/diagnostics/firewall/query_states*",
        "api/diagnostics/firewall/del_state*",
        "api/diagnostics/firewall/kill_states*",
        "api/diagnostics/firewall/flush_sources*",
        "api/diagnostics/firewall/flush_states*",
      ],
    },
    { key: "page-filter-api", name: "Firewall: Rules [new]", patterns: ["api/firewall/filter/*"] },
    {
      key: "page-interfaces-vlan-edit",
      name: "Interfaces: VLAN",
      patterns: ["api/interfaces/vlan_settings/*"],
    },
    { key: "page-status-interfaces", name: "Status: Interfaces", patterns: ["api/interfaces/overview/*"] },
    { key: "page-status-services", name: "Status: Services", patterns: ["api/core/service/*"] },
    { key: "page-services-unbound", name: "Services: Unbound (MVC)", patterns: ["api/unbound/*"] },
    {
      key: "page-services-dnsresolver-overrides",
      name: "Services: Unbound DNS: Edit Host and Domain Override",
      patterns: [
        "api/unbound/settings/search_host_override/*",
        "api/unbound/settings/get_host_override/*",
        "api/unbound/settings/set_host_override/*",
        "api/unbound/settings/add_host_override/*",
        "api/unbound/settings/del_host_override/*",
        "api/unbound/settings/toggle_host_override/*",
        "api/unbound/settings/search_host_alias/*",
        "api/unbound/settings/get_host_alias/*",
        "api/unbound/settings/set_host_alias/*",
        "api/unbound/settings/add_host_alias/*",
        "api/unbound/settings/del_host_alias/*",
        "api/unbound/settings/toggle_host_alias/*",
        "api/unbound/settings/search_domain_override/*",
        "api/unbound/settings/get_domain_override/*",
        "api/unbound/settings/set_domain_override/*",
        "api/unbound/settings/add_domain_override/*",
        "api/unbound/settings/del_domain_override/*",
        "api/unbound/settings/toggle_domain_override/*",
      ],
    },
    {
      key: "page-dhcp-kea-v4",
      name: "Services: DHCP: Kea(v4)",
      patterns: ["api/kea/dhcpv4/*", "api/kea/leases4/*", "api/kea/service/*"],
    },
    {
      key: "page-dhcp-kea-v6",
      name: "Services: DHCP: Kea(v6)",
      patterns: ["api/kea/dhcpv6/*", "api/kea/leases6/*", "api/kea/service/*"],
    },
    {
      key: "page-dhcp-kea-ctrl-agent",
      name: "Services: DHCP: Kea Ctrl Agent",
      patterns: ["api/kea/ctrl_agent/*", "api/kea/service/*"],
    },
    {
      key: "page-services-dnsforwarder",
      name: "Services: Dnsmasq DNS/DHCP: Settings",
      patterns: ["api/dnsmasq/*"],
    },
    {
      key: "page-diagnostics-logs-settings-targets",
      name: "System: Settings: Logging",
      patterns: ["api/syslog/*"],
    },
    {
      key: "page-services-ids",
      name: "Services: Intrusion Detection",
      patterns: ["api/ids/*", "api/diagnostics/log/core/suricata/*"],
    },
    {
      key: "page-diagnostics-netflow",
      name: "Diagnostics: Netflow configuration",
      patterns: ["api/diagnostics/netflow/*"],
    },
    { key: "page-system-cron", name: "System: Settings: Cron", patterns: ["api/cron/*"] },
    { key: "page-services-chrony", name: "Services: Chrony", patterns: ["api/chrony/*"] },
    {
      key: "page-system-firmware-manualupdate",
      name: "System: Firmware",
      patterns: ["api/core/firmware/*", "api/diagnostics/log/core/pkg/*"],
    },
    {
      key: "page-system-login-logout",
      name: "Lobby: Dashboard",
      patterns: [
        "api/core/dashboard/*",
        "api/diagnostics/cpu_usage/*",
        "api/diagnostics/firewall/pf_states",
        "api/diagnostics/system/system_disk",
        "api/diagnostics/system/system_information",
        "api/diagnostics/system/system_resources",
        "api/diagnostics/system/system_temperature",
        "api/diagnostics/system/system_time",
        "api/diagnostics/system/system_mbuf",
        "api/diagnostics/system/system_swap",
      ],
    },
    {
      key: "page-system-status",
      name: "System: Status",
      patterns: ["api/core/system/status*", "api/core/system/dismiss_status"],
    },
  ],
  "26.7": [
    { key: "page-all", name: "All pages", patterns: ["*"] },
    { key: "page-firewall-alias-edit", name: "Firewall: Alias: Edit", patterns: ["api/firewall/alias/*"] },
    {
      key: "page-firewall-aliases",
      name: "Firewall: Aliases",
      patterns: [
        "api/firewall/alias/export",
        "api/firewall/alias/search*",
        "api/firewall/alias/list*",
        "api/firewall/alias/get*",
      ],
    },
    {
      key: "page-diagnostics-tables",
      name: "Diagnostics: PF Table IP addresses",
      patterns: ["api/firewall/alias_util/*"],
    },
    {
      key: "page-diagnostics-showstates",
      name: "Diagnostics: Show States",
      patterns: [
        "api/diagnostics/firewall/query_states*",
        "api/diagnostics/firewall/del_state*",
        "api/diagnostics/firewall/kill_states*",
        "api/diagnostics/firewall/flush_sources*",
        "api/diagnostics/firewall/flush_states*",
      ],
    },
    { key: "page-filter-api", name: "Firewall: Rules [new]", patterns: ["api/firewall/filter/*"] },
    {
      key: "page-interfaces-vlan-edit",
      name: "Interfaces: VLAN",
      patterns: ["api/interfaces/vlan_settings/*"],
    },
    { key: "page-status-interfaces", name: "Status: Interfaces", patterns: ["api/interfaces/overview/*"] },
    { key: "page-status-services", name: "Status: Services", patterns: ["api/core/service/*"] },
    {
      key: "page-interfaces-assignnetworkports",
      name: "Interfaces: Assign network ports",
      patterns: ["api/interfaces/assignment/*"],
    },
    { key: "page-services-unbound", name: "Services: Unbound", patterns: ["api/unbound/*"] },
    {
      key: "page-services-dnsresolver-overrides",
      name: "Services: Unbound DNS: Edit Host and Domain Override",
      patterns: [
        "api/unbound/settings/search_host_override/*",
        "api/unbound/settings/get_host_override/*",
        "api/unbound/settings/set_host_override/*",
        "api/unbound/settings/add_host_override/*",
        "api/unbound/settings/del_host_override/*",
        "api/unbound/settings/toggle_host_override/*",
        "api/unbound/settings/search_host_alias/*",
        "api/unbound/settings/get_host_alias/*",
        "api/unbound/settings/set_host_alias/*",
        "api/unbound/settings/add_host_alias/*",
        "api/unbound/settings/del_host_alias/*",
        "api/unbound/settings/toggle_host_alias/*",
        "api/unbound/settings/search_domain_override/*",
        "api/unbound/settings/get_domain_override/*",
        "api/unbound/settings/set_domain_override/*",
        "api/unbound/settings/add_domain_override/*",
        "api/unbound/settings/del_domain_override/*",
        "api/unbound/settings/toggle_domain_override/*",
      ],
    },
    {
      key: "page-dhcp-kea-v4",
      name: "Services: DHCP: Kea(v4)",
      patterns: ["api/kea/dhcpv4/*", "api/kea/leases4/*", "api/kea/service/*"],
    },
    {
      key: "page-dhcp-kea-v6",
      name: "Services: DHCP: Kea(v6)",
      patterns: ["api/kea/dhcpv6/*", "api/kea/leases6/*", "api/kea/service/*"],
    },
    {
      key: "page-dhcp-kea-ctrl-agent",
      name: "Services: DHCP: Kea Ctrl Agent",
      patterns: ["api/kea/ctrl_agent/*", "api/kea/service/*"],
    },
    {
      key: "page-dhcp-kea-ddns",
      name: "Services: DHCP: Kea DDNS Agent",
      patterns: ["api/kea/ddns/*", "api/kea/service/*"],
    },
    {
      key: "page-services-dnsforwarder",
      name: "Services: Dnsmasq DNS/DHCP: Settings",
      patterns: ["api/dnsmasq/*"],
    },
    {
      key: "page-diagnostics-logs-settings-targets",
      name: "System: Settings: Logging",
      patterns: ["api/syslog/*"],
    },
    {
      key: "page-services-ids",
      name: "Services: Intrusion Detection",
      patterns: ["api/ids/*", "api/diagnostics/log/core/suricata/*"],
    },
    {
      key: "page-diagnostics-netflow",
      name: "Diagnostics: Netflow configuration",
      patterns: ["api/diagnostics/netflow/*"],
    },
    { key: "page-system-cron", name: "System: Settings: Cron", patterns: ["api/cron/*"] },
    { key: "page-services-chrony", name: "Services: Chrony", patterns: ["api/chrony/*"] },
    {
      key: "page-system-firmware-manualupdate",
      name: "System: Firmware",
      patterns: ["api/core/firmware/*", "api/diagnostics/log/core/pkg/*"],
    },
    {
      key: "page-system-login-logout",
      name: "Lobby: Dashboard",
      patterns: [
        "api/core/dashboard/*",
        "api/diagnostics/cpu_usage/*",
        "api/diagnostics/firewall/pf_states",
        "api/diagnostics/system/system_disk",
        "api/diagnostics/system/system_information",
        "api/diagnostics/system/system_resources",
        "api/diagnostics/system/system_temperature",
        "api/diagnostics/system/system_time",
        "api/diagnostics/system/system_mbuf",
        "api/diagnostics/system/system_swap",
      ],
    },
    {
      key: "page-system-status",
      name: "System: Status",
      patterns: ["api/core/system/status*", "api/core/system/dismiss_status"],
    },
  ],
};
