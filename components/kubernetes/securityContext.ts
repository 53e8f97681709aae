/**
 * The restricted Pod Security profile (kubernetes/pod-security-admission policy/check_*.go: non-root,
 * no privilege escalation, all capabilities dropped, the RuntimeDefault seccomp profile), for a pod and
 * its containers running as one `uid`. The namespaces the baseline labels `restricted` admit nothing less.
 */

export function restrictedContainerSecurity(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export function restrictedPodSecurity(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    // Volumes are chowned to fsGroup once, not on every start.
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}
