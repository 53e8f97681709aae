/**
 * kube-state-metrics 2.20.0 (the kube-state-metrics chart 8.4.0 that kube-prometheus-stack 88.5.3
 * depends on): the objects Fortress watches. Every family carries its store's default labels
 * (`desc<Kind>LabelsDefaultLabels` in internal/store/<kind>.go) before its own.
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

const POD = ["namespace", "pod", "uid"];
const DEPLOYMENT = ["namespace", "deployment"];
const STATEFULSET = ["namespace", "statefulset"];
const DAEMONSET = ["namespace", "daemonset"];
const CRONJOB = ["namespace", "cronjob"];
const JOB = ["namespace", "job_name"];
const PVC = ["namespace", "persistentvolumeclaim"];

export const KUBE_STATE_METRICS: MetricProducer = {
  job: "kube-state-metrics",
  source:
    "kubernetes/kube-state-metrics@v2.20.0:internal/store/pod.go, internal/store/deployment.go, internal/store/statefulset.go, internal/store/daemonset.go, internal/store/cronjob.go, internal/store/job.go, internal/store/persistentvolumeclaim.go, internal/store/node.go",
  metrics: [
    metric("kube_pod_status_phase", "gauge", [...POD, "phase"], "The pods current phase."),
    metric(
      "kube_pod_status_ready",
      "gauge",
      [...POD, "condition"],
      "Describes whether the pod is ready to serve requests.",
    ),
    metric(
      "kube_pod_container_status_restarts_total",
      "counter",
      [...POD, "container"],
      "The number of container restarts per container.",
    ),
    metric(
      "kube_pod_container_status_waiting_reason",
      "gauge",
      [...POD, "container", "reason"],
      "Describes the reason the container is currently in waiting state.",
    ),
    metric(
      "kube_pod_info",
      "gauge",
      [
        ...POD,
        "host_ip",
        "pod_ip",
        "node",
        "created_by_kind",
        "created_by_name",
        "priority_class",
        "host_network",
      ],
      "Information about pod.",
    ),
    metric("kube_deployment_spec_replicas", "gauge", DEPLOYMENT, "Number of desired pods for a deployment."),
    metric(
      "kube_deployment_status_replicas_available",
      "gauge",
      DEPLOYMENT,
      "The number of available replicas per deployment.",
    ),
    metric(
      "kube_deployment_status_replicas_unavailable",
      "gauge",
      DEPLOYMENT,
      "The number of unavailable replicas per deployment.",
    ),
    metric("kube_statefulset_replicas", "gauge", STATEFULSET, "Number of desired pods for a StatefulSet."),
    metric(
      "kube_statefulset_status_replicas_ready",
      "gauge",
      STATEFULSET,
      "The number of ready replicas per StatefulSet.",
    ),
    metric(
      "kube_daemonset_status_desired_number_scheduled",
      "gauge",
      DAEMONSET,
      "The number of nodes that should be running the daemon pod.",
    ),
    metric(
      "kube_daemonset_status_number_ready",
      "gauge",
      DAEMONSET,
      "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.",
    ),
    metric(
      "kube_daemonset_status_number_unavailable",
      "gauge",
      DAEMONSET,
      "The number of nodes that should be running the daemon pod and have none of the daemon pod running and available",
    ),
    metric(
      "kube_cronjob_status_last_successful_time",
      "gauge",
      CRONJOB,
      "LastSuccessfulTime keeps information of when was the last time the job was completed successfully.",
    ),
    metric(
      "kube_cronjob_status_last_schedule_time",
      "gauge",
      CRONJOB,
      "LastScheduleTime keeps information of when was the last time the job was successfully scheduled.",
    ),
    metric(
      "kube_cronjob_spec_suspend",
      "gauge",
      CRONJOB,
      "Suspend flag tells the controller to suspend subsequent executions.",
    ),
    metric("kube_job_failed", "gauge", [...JOB, "condition"], "The job has failed its execution."),
    metric(
      "kube_job_status_failed",
      "gauge",
      [...JOB, "reason"],
      "The number of pods which reached Phase Failed and the reason for failure.",
    ),
    metric("kube_job_status_succeeded", "gauge", JOB, "The number of pods which reached Phase Succeeded."),
    metric(
      "kube_job_owner",
      "gauge",
      [...JOB, "owner_kind", "owner_name", "owner_is_controller"],
      "Information about the Job's owner.",
    ),
    metric(
      "kube_persistentvolumeclaim_status_phase",
      "gauge",
      [...PVC, "phase"],
      "The phase the persistent volume claim is currently in.",
    ),
    metric(
      "kube_persistentvolumeclaim_resource_requests_storage_bytes",
      "gauge",
      PVC,
      "The capacity of storage requested by the persistent volume claim.",
    ),
    metric(
      "kube_persistentvolumeclaim_info",
      "gauge",
      [...PVC, "storageclass", "volumename", "volumemode"],
      "Information about persistent volume claim.",
    ),
    metric(
      "kube_node_status_condition",
      "gauge",
      ["node", "condition", "status"],
      "The condition of a cluster node.",
    ),
  ],
};
