/**
 * \`fortress-mirror\`, the script on the Zeek VM's Proxmox node that copies frames into the Zeek VM's
 * capture NIC with tc mirred (apply | remove | check). Its logic is tested against network namespaces
 * it runs in (mirrorScript.test.ts); the hookscript (components/hypervisor/captureHook.ts) and the
 * install step (mirror.ts) call it.
 *
 * Facts it rests on:
 * - A VM's NIC n is the tap \`tap<vmid>i<n>\` (qemu-server src/PVE/QemuServer.pm, \`"tap\${vmid}i$i"\`),
 *   with or without the firewall bridge in front of it (pve-common src/PVE/Network.pm
 *   \`compute_fwbr_names\` names the bridge and veths, never the tap): a tap's ingress is what its
 *   VM sends, its egress what the VM receives.
 * - A NIC rate limit is a plain \`ingress\` qdisc (handle ffff:) with a match-all police filter at prio 50
 *   (pve-common src/PVE/Network.pm \`setup_tc_rate_limit\`). Police gives a conforming frame a verdict
 *   (ok), and the first filter with a verdict ends the qdisc's classification: a mirror filter behind it
 *   never runs. So the mirror filter sits at preference 2, ahead of it (and of any filter tc numbers
 *   itself, from 49152 down), and its mirred action ends in \`continue\`, so the filters after it still
 *   run: the frame is copied and then policed (frames the limit drops are copied too). \`check\` fails
 *   unless the mirror is the qdisc's first filter.
 * - \`mirred egress mirror\` is a copy: the frame goes on, and when the target device is deleted the
 *   source keeps forwarding (tested: the source is not blackholed).
 * - Proxmox changes a running VM's rate (\`qm set --netN …,rate=\`, qemu-server QemuServer.pm, the live
 *   net update calling \`PVE::Network::tap_rate_limit\`) and plugs every tap (Network.pm \`tap_plug\`)
 *   with \`tc qdisc del dev <tap> ingress\` (its failure ignored) then, with a rate,
 *   \`tc qdisc add dev <tap> handle ffff: ingress\`, which fails, and the VM start or the change with
 *   it, if a clsact is there (a device has one or the other; \`del … ingress\` does not remove a
 *   clsact). So a source mirrored on ingress only (every VM tap; the uplink in vm-taps mode; the SPAN
 *   NIC) gets a plain \`ingress\` qdisc, which Proxmox can delete and add; only the uplink in uplink
 *   mode, mirrored both ways, gets a clsact. Proxmox deleting the qdisc deletes the mirror filter with
 *   it: the node's 30 s timer (mirror.ts) sees \`check\` fail and applies again. A rate-limited tap is
 *   left alone until Proxmox's qdisc is there (the VM's config says which), so that the filter is not
 *   put on a qdisc Proxmox is about to replace.
 * - A SPAN NIC is in no bridge: nothing brings it up or makes it promiscuous, and down it sees nothing,
 *   not promiscuous its driver drops the copied unicast frames not for its MAC before tc sees them. apply
 *   sets it up and promiscuous; remove restores what it was.
 */
export const MIRROR_SCRIPT = `#!/bin/bash
# fortress-mirror: copies frames into the Zeek VM's capture NIC on this Proxmox node with tc mirred.
#   fortress-mirror apply   mirror every source into the target (idempotent; run again after any VM start)
#   fortress-mirror remove  take off every filter and qdisc this script added; restore the offloads it
#                           turned off and the SPAN NIC's up/promisc state
#   fortress-mirror check   exit 1 and say what is missing unless every source is mirrored into the target
#                           by the first filter of its qdisc
# Only mirred filters at preference $PREF are this script's; other tc filters and qdiscs are left alone.
# The filter sits ahead of Proxmox's rate limit (a police filter at prio 50, pve-common Network.pm
# setup_tc_rate_limit) and ends in "continue", so the rate limit still applies. Ingress-only sources
# get a plain ingress qdisc, which Proxmox's rate change (tc qdisc del/add ... ingress) can replace; the
# filter then goes with it and the 30 s timer's check fails and re-applies it. Only the uplink in uplink
# mode (both ways) gets a clsact.
# Config (key=value, one a line): target=<tap of the capture NIC> own_prefix=<tap prefix of the Zeek VM>
# mode=vm-taps|uplink uplink=<physical NIC> [span=<NIC a switch's SPAN port is cabled to>]
set -euo pipefail

readonly PREF=2
readonly CONF="\${FORTRESS_MIRROR_CONF:-/etc/fortress/mirror.conf}"
readonly STATE="\${FORTRESS_MIRROR_STATE:-/run/fortress-mirror}"
readonly PVE_CONF="\${FORTRESS_MIRROR_PVE_CONF:-/etc/pve/qemu-server}"

target="" own_prefix="" mode="" uplink="" span="" wanted=""

say() { echo "fortress-mirror: $*" >&2; }

read_conf() {
  [ -r "$CONF" ] || { say "$CONF is missing"; exit 2; }
  local key value
  while IFS='=' read -r key value || [ -n "$key" ]; do
    case "$key" in
      '' | '#'*) ;;
      target) target=$value ;;
      own_prefix) own_prefix=$value ;;
      mode) mode=$value ;;
      uplink) uplink=$value ;;
      span) span=$value ;;
      *) say "unknown key '$key' in $CONF"; exit 2 ;;
    esac
  done <"$CONF"
  case "$mode" in vm-taps | uplink) ;; *) say "mode must be vm-taps or uplink, not '$mode'"; exit 2 ;; esac
  if [ -z "$target" ] || [ -z "$own_prefix" ] || [ -z "$uplink" ]; then
    say "$CONF needs target, own_prefix and uplink"
    exit 2
  fi
}

exists() { [ -e "/sys/class/net/$1" ]; }

# The sources as "<device> <direction>" lines: what each VM sends plus what arrives from outside
# (vm-taps), or the uplink both ways (uplink); and the SPAN NIC's frames in either mode.
sources() {
  local path dev
  if [ "$mode" = vm-taps ]; then
    for path in /sys/class/net/tap*; do
      dev=\${path##*/}
      [[ $dev =~ ^tap[0-9]+i[0-9]+$ ]] || continue
      case "$dev" in "$own_prefix"*) continue ;; esac
      echo "$dev ingress"
    done
    echo "$uplink ingress"
  else
    echo "$uplink ingress"
    echo "$uplink egress"
  fi
  if [ -n "$span" ]; then echo "$span ingress"; fi
}

# Whether "<device> <direction>" is one of the sources in $wanted.
wants() { [[ $'\\n'$wanted$'\\n' == *$'\\n'"$1 $2"$'\\n'* ]]; }

# No \`cmd | grep -q\` under pipefail: grep leaves at the first match and cmd may die of SIGPIPE.
has_qdisc() { [[ $'\\n'$(tc qdisc show dev "$1" 2>/dev/null) == *$'\\n'"qdisc $2 "* ]]; }

# The parent a filter of one direction hangs on: clsact's, or a plain ingress qdisc's (Proxmox's for
# a rate limit, or this script's; a device has either, never both).
parent_of() {
  if has_qdisc "$1" ingress; then
    [ "$2" = ingress ] && echo "parent ffff:"
  elif has_qdisc "$1" clsact; then
    echo "$2"
  fi
}

# This script's filter on a device's direction, as tc shows it (empty if none): a mirred filter at $PREF.
our_filter() {
  local parent shown
  parent=$(parent_of "$1" "$2") || return 0
  [ -n "$parent" ] || return 0
  # shellcheck disable=SC2086 # the parent is one or two words
  shown=$(tc filter show dev "$1" $parent pref "$PREF" 2>/dev/null) || return 0
  if [[ $shown == *"mirred (Egress Mirror to device "* ]]; then echo "$shown"; fi
}

# The lowest preference among a device's filters of one direction (empty if it has none).
first_pref() {
  local parent line lowest=""
  parent=$(parent_of "$1" "$2") || return 0
  [ -n "$parent" ] || return 0
  # shellcheck disable=SC2086
  while IFS= read -r line; do
    if [[ $line =~ \\ pref\\ ([0-9]+)\\  ]] && { [ -z "$lowest" ] || [ "\${BASH_REMATCH[1]}" -lt "$lowest" ]; }; then
      lowest=\${BASH_REMATCH[1]}
    fi
  done <<<"$(tc filter show dev "$1" $parent 2>/dev/null)"
  echo "$lowest"
}

# Whether a VM tap's NIC has a Proxmox rate limit (net<n>: …,rate=…): Proxmox replaces the ingress qdisc
# when it plugs the tap, deleting a filter put there before.
rate_limited() {
  [[ $1 =~ ^tap([0-9]+)i([0-9]+)$ ]] || return 1
  local line
  # The current config only: snapshots follow in [sections].
  while IFS= read -r line; do
    [[ $line == "["* ]] && break
    [[ $line == "net\${BASH_REMATCH[2]}:"*rate=* ]] && return 0
  done 2>/dev/null <"$PVE_CONF/\${BASH_REMATCH[1]}.conf"
  return 1
}

# Mirrors one direction of a device. kind: the qdisc to add if the device has none, ingress (a
# direction of its own) or clsact (both directions are sources).
attach() {
  local dev=$1 dir=$2 kind=$3 parent
  if rate_limited "$dev" && ! has_qdisc "$dev" ingress; then
    say "$dev has a rate limit whose ingress qdisc Proxmox has not added yet: left for the next apply"
    return 0
  fi
  # A plain ingress qdisc of this script's where both ways are wanted now (the mode changed): taken off.
  if [ "$kind" = clsact ] && has_qdisc "$dev" ingress && [ "$(cat "$STATE/qdisc.$dev" 2>/dev/null)" = ingress ]; then
    detach "$dev" ingress
    drop_qdisc "$dev"
  fi
  if ! has_qdisc "$dev" ingress && ! has_qdisc "$dev" clsact; then
    if [ "$kind" = clsact ]; then tc qdisc add dev "$dev" clsact; else tc qdisc add dev "$dev" handle ffff: ingress; fi
    mkdir -p "$STATE"
    echo "$kind" >"$STATE/qdisc.$dev"
  fi
  parent=$(parent_of "$dev" "$dir") || true
  if [ -z "$parent" ]; then
    say "$dev has a plain ingress qdisc (a rate limit), so its $dir cannot be mirrored"
    return 1
  fi
  # Replaced as a whole: taken off (if there) and put on again, pointing at the current target.
  # u32 with a zero mask matches every frame, as matchall does, and is built into more kernels.
  detach "$dev" "$dir"
  # shellcheck disable=SC2086
  tc filter add dev "$dev" $parent pref "$PREF" protocol all u32 match u32 0 0 \\
    action mirred egress mirror dev "$target" continue
}

# Takes this script's filter off the given directions of a device.
detach() {
  local dev=$1 dir parent
  shift
  for dir in "$@"; do
    if [ -n "$(our_filter "$dev" "$dir")" ]; then
      parent=$(parent_of "$dev" "$dir")
      # shellcheck disable=SC2086
      tc filter del dev "$dev" $parent pref "$PREF"
    fi
  done
}

# Deletes the qdisc this script added to a device, if no filter (anyone's) is left on it.
drop_qdisc() {
  local dev=$1 kind filters
  [ -e "$STATE/qdisc.$dev" ] || return 0
  kind=$(cat "$STATE/qdisc.$dev")
  if [ "$kind" = clsact ]; then
    filters=$(tc filter show dev "$dev" ingress 2>/dev/null)$(tc filter show dev "$dev" egress 2>/dev/null)
  else
    filters=$(tc filter show dev "$dev" parent ffff: 2>/dev/null)
  fi
  if has_qdisc "$dev" "$kind" && [ -z "$filters" ]; then tc qdisc del dev "$dev" "$kind"; fi
  rm -f "$STATE/qdisc.$dev"
}

# Offloads off on the capture path, each one's old state kept so that remove can restore it: frames
# merged by GRO/LRO before tc sees them, or left as TSO/GSO super-frames, are not what crossed the wire.
offload_off() {
  local dev=$1 feature long state
  shift
  mkdir -p "$STATE"
  for feature in "$@"; do
    case "$feature" in
      gro) long=generic-receive-offload ;;
      lro) long=large-receive-offload ;;
      tso) long=tcp-segmentation-offload ;;
      gso) long=generic-segmentation-offload ;;
    esac
    state=$(ethtool -k "$dev" 2>/dev/null | awk -v f="$long:" '$1 == f { print $2 }')
    [ "$state" = on ] || continue
    if ethtool -K "$dev" "$feature" off 2>/dev/null; then
      echo "$feature" >>"$STATE/offload.$dev"
    else
      say "could not turn $feature off on $dev"
    fi
  done
}

offload_restore() {
  local file dev feature
  for file in "$STATE"/offload.*; do
    [ -e "$file" ] || continue
    dev=\${file##*/offload.}
    if exists "$dev"; then
      while read -r feature; do ethtool -K "$dev" "$feature" on 2>/dev/null || say "could not turn $feature on again on $dev"; done <"$file"
    fi
    rm -f "$file"
  done
}

# The SPAN NIC up and promiscuous (in no bridge, nothing else makes it either). What it takes to undo
# that ("down", "promisc off") is kept the first time, for remove.
span_up() {
  local flags undo=""
  [ -n "$span" ] && exists "$span" || return 0
  mkdir -p "$STATE"
  if [ ! -e "$STATE/link.$span" ]; then
    flags=$(ip -o link show dev "$span")
    flags=",\${flags#*<}"
    flags="\${flags%%>*},"
    [[ $flags == *,UP,* ]] || undo="down"
    [[ $flags == *,PROMISC,* ]] || undo="$undo promisc off"
    echo "$undo" >"$STATE/link.$span"
  fi
  ip link set dev "$span" up promisc on
}

# Puts back the link state of every SPAN NIC span_up changed, but the one named (still in use).
link_restore() {
  local file dev undo
  for file in "$STATE"/link.*; do
    [ -e "$file" ] || continue
    dev=\${file##*/link.}
    [ "$dev" = "\${1:-}" ] && continue
    undo=$(cat "$file")
    # shellcheck disable=SC2086 # the undo is words for ip link set
    if exists "$dev" && [ -n "$undo" ]; then ip link set dev "$dev" $undo || say "could not restore $dev: $undo"; fi
    rm -f "$file"
  done
}

all_devices() {
  local path
  for path in /sys/class/net/*; do echo "\${path##*/}"; done
}

apply() {
  read_conf
  local dev dir kind failed=0
  wanted=$(sources)
  for dev in $(all_devices); do
    for dir in ingress egress; do
      if [ "$dev" = "$target" ] || ! exists "$target" || ! wants "$dev" "$dir"; then detach "$dev" "$dir"; fi
    done
    if [ "$dev" = "$target" ] || ! exists "$target" || { ! wants "$dev" ingress && ! wants "$dev" egress; }; then
      drop_qdisc "$dev"
    fi
  done
  link_restore "$span"
  if ! exists "$target"; then
    say "$target is absent (the Zeek VM is not running): nothing is mirrored"
    return 0
  fi
  offload_off "$target" tso gso
  span_up
  while read -r dev dir; do
    exists "$dev" || { say "source $dev is absent"; failed=1; continue; }
    case "$dev" in "$uplink" | "$span") offload_off "$dev" gro lro ;; esac
    kind=ingress
    if wants "$dev" egress; then kind=clsact; fi
    attach "$dev" "$dir" "$kind" || failed=1
  done <<<"$wanted"
  return "$failed"
}

remove() {
  local dev
  for dev in $(all_devices); do
    detach "$dev" ingress egress
    drop_qdisc "$dev"
  done
  offload_restore
  link_restore
}

check() {
  read_conf
  local dev dir shown first missing=0 count=0
  exists "$target" || { say "the capture NIC $target is absent"; return 1; }
  while read -r dev dir; do
    shown="" first=""
    if exists "$dev"; then
      shown=$(our_filter "$dev" "$dir")
      first=$(first_pref "$dev" "$dir")
    fi
    if [[ $shown != *"(Egress Mirror to device $target) continue"* ]]; then
      say "$dev $dir is not mirrored into $target"
      missing=1
    elif [ "$first" != "$PREF" ]; then
      say "$dev $dir: a filter at preference $first comes before the mirror (preference $PREF) and may end its classification"
      missing=1
    else
      count=$((count + 1))
    fi
  done <<<"$(sources)"
  if [ -n "$span" ] && exists "$span"; then
    shown=$(ip -o link show dev "$span")
    shown=",\${shown#*<}"
    shown="\${shown%%>*},"
    if [[ $shown != *,UP,* || $shown != *,PROMISC,* ]]; then
      say "the SPAN NIC $span is not up and promiscuous"
      missing=1
    fi
  fi
  [ "$missing" -eq 0 ] && echo "fortress-mirror: $count sources mirrored into $target"
  return "$missing"
}

case "\${1:-}" in
  apply) apply ;;
  remove) remove ;;
  check) check ;;
  *) say "usage: fortress-mirror apply|remove|check"; exit 2 ;;
esac
`;
