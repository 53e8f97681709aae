/**
 * cert-manager v1.19.4 (the pinned chart, components/platform/certManager.ts): certificate expiry,
 * renewal time and readiness, from the controller's certificate collector.
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

const CERT = ["name", "namespace", "issuer_name", "issuer_kind", "issuer_group"];

export const CERT_MANAGER: MetricProducer = {
  job: "cert-manager",
  source: "cert-manager/cert-manager@v1.19.4:internal/collectors/certificate_collector.go",
  metrics: [
    metric(
      "certmanager_certificate_expiration_timestamp_seconds",
      "gauge",
      CERT,
      "The timestamp after which the certificate expires, expressed in Unix Epoch Time.",
    ),
    metric(
      "certmanager_certificate_renewal_timestamp_seconds",
      "gauge",
      CERT,
      "The timestamp after which the certificate should be renewed, expressed in Unix Epoch Time.",
    ),
    metric(
      "certmanager_certificate_ready_status",
      "gauge",
      ["name", "namespace", "condition", "issuer_name", "issuer_kind", "issuer_group"],
      "The ready status of the certificate.",
    ),
  ],
};
