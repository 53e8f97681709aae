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
 * - \`mirred egress mirror\` is a copy (TC_ACT_PIPE): the frame goes on, and when the target device is
 *   deleted the source keeps forwarding (tested: the source is not blackholed).
 * - A tap with a Proxmox rate limit carries a plain \`ingress\` qdisc (pve-common Network.pm
 *   \`tap_rate_limit\`), which excludes clsact: the filter then hangs on \`parent ffff:\` (ingress only).
 *   Proxmox adds it at the end of plugging the tap and fails the VM's start if it cannot, so the script
 *   never puts a clsact on a rate-limited NIC's tap (the VM's config says which): it waits for the qdisc.
 */
export const MIRROR_SCRIPT = `#!/bin/bash
# fortress-mirror: copies frames into the Zeek VM's capture NIC on this Proxmox node with tc mirred.
#   fortress-mirror apply   mirror every source into the target (idempotent; run again after any VM start)
#   fortress-mirror remove  take off every filter and qdisc this script added; restore the offloads it turned off
#   fortress-mirror check   exit 1 and say what is missing unless every source is mirrored into the target
# Only filters at preference $PREF are this script's; other tc filters and qdiscs are left alone.
# Config (key=value, one a line): target=<tap of the capture NIC> own_prefix=<tap prefix of the Zeek VM>
# mode=vm-taps|uplink uplink=<physical NIC> [span=<NIC a switch's SPAN port is cabled to>]
set -euo pipefail

readonly PREF=4919
readonly CONF="\${FORTRESS_MIRROR_CONF:-/etc/fortress/mirror.conf}"
readonly STATE="\${FORTRESS_MIRROR_STATE:-/run/fortress-mirror}"
readonly PVE_CONF="\${FORTRESS_MIRROR_PVE_CONF:-/etc/pve/qemu-server}"

target="" own_prefix="" mode="" uplink="" span=""

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

# No \`cmd | grep -q\` under pipefail: grep leaves at the first match and cmd may die of SIGPIPE.
has_qdisc() { [[ $'\\n'$(tc qdisc show dev "$1" 2>/dev/null) == *$'\\n'"qdisc $2 "* ]]; }

# The parent a filter of one direction hangs on: clsact's, or a plain ingress qdisc's (Proxmox puts
# one on a tap with a rate limit, and a device has either, never both).
parent_of() {
  if has_qdisc "$1" ingress; then
    [ "$2" = ingress ] && echo "parent ffff:"
  elif has_qdisc "$1" clsact; then
    echo "$2"
  fi
}

ours() {
  local parent
  parent=$(parent_of "$1" "$2") || return 1
  [ -n "$parent" ] || return 1
  # shellcheck disable=SC2086 # the parent is one or two words
  [ -n "$(tc filter show dev "$1" $parent pref "$PREF" 2>/dev/null)" ]
}

# Whether a VM tap's NIC has a Proxmox rate limit (net<n>: …,rate=…): Proxmox gives it a plain ingress
# qdisc when it plugs the tap, and fails the VM's start if a clsact got there first.
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

attach() {
  local dev=$1 dir=$2 parent
  if rate_limited "$dev" && ! has_qdisc "$dev" ingress; then
    say "$dev has a rate limit whose ingress qdisc Proxmox has not added yet: left for the next apply"
    return 0
  fi
  if ! has_qdisc "$dev" ingress && ! has_qdisc "$dev" clsact; then
    tc qdisc add dev "$dev" clsact
    mkdir -p "$STATE"
    : >"$STATE/clsact.$dev"
  fi
  parent=$(parent_of "$dev" "$dir") || true
  if [ -z "$parent" ]; then
    say "$dev has a plain ingress qdisc (a rate limit), so its $dir cannot be mirrored"
    return 1
  fi
  # Replaced as a whole: taken off (if there) and put on again, pointing at the current target.
  # u32 with a zero mask matches every frame, as matchall does, and is built into more kernels.
  # shellcheck disable=SC2086
  if ours "$dev" "$dir"; then tc filter del dev "$dev" $parent pref "$PREF"; fi
  # shellcheck disable=SC2086
  tc filter add dev "$dev" $parent pref "$PREF" protocol all u32 match u32 0 0 \\
    action mirred egress mirror dev "$target"
}

detach() {
  local dev=$1 dir parent
  for dir in ingress egress; do
    if ours "$dev" "$dir"; then
      parent=$(parent_of "$dev" "$dir")
      # shellcheck disable=SC2086
      tc filter del dev "$dev" $parent pref "$PREF"
    fi
  done
  if [ -e "$STATE/clsact.$dev" ]; then
    if has_qdisc "$dev" clsact && [ -z "$(tc filter show dev "$dev" ingress)$(tc filter show dev "$dev" egress)" ]; then
      tc qdisc del dev "$dev" clsact
    fi
    rm -f "$STATE/clsact.$dev"
  fi
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

all_devices() {
  local path
  for path in /sys/class/net/*; do echo "\${path##*/}"; done
}

apply() {
  read_conf
  local wanted dev dir failed=0
  wanted=$(sources)
  for dev in $(all_devices); do
    if [[ $'\\n'$wanted != *$'\\n'"$dev "* ]] || [ "$dev" = "$target" ] || ! exists "$target"; then detach "$dev"; fi
  done
  if ! exists "$target"; then
    say "$target is absent (the Zeek VM is not running): nothing is mirrored"
    return 0
  fi
  offload_off "$target" tso gso
  while read -r dev dir; do
    exists "$dev" || { say "source $dev is absent"; failed=1; continue; }
    case "$dev" in "$uplink" | "$span") offload_off "$dev" gro lro ;; esac
    attach "$dev" "$dir" || failed=1
  done <<<"$wanted"
  return "$failed"
}

remove() {
  local dev
  for dev in $(all_devices); do detach "$dev"; done
  offload_restore
}

check() {
  read_conf
  local dev dir parent missing=0 count=0
  exists "$target" || { say "the capture NIC $target is absent"; return 1; }
  while read -r dev dir; do
    parent=$(parent_of "$dev" "$dir" 2>/dev/null) || parent=""
    # shellcheck disable=SC2086
    if exists "$dev" && [ -n "$parent" ] &&
      [[ $(tc filter show dev "$dev" $parent pref "$PREF") == *"Egress Mirror to device $target)"* ]]; then
      count=$((count + 1))
    else
      say "$dev $dir is not mirrored into $target"
      missing=1
    fi
  done <<<"$(sources)"
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
