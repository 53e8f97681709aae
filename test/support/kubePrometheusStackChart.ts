/**
 * Where kube-prometheus-stack reads the values Fortress sets: for each values path (or the subtree a
 * template reads whole with toYaml), one template that reads `.Values.<path>`. Transcribed from
 * prometheus-community/helm-charts at the pinned tags (cf408a2 for kube-prometheus-stack-88.5.3):
 * charts/kube-prometheus-stack/templates/**, charts/kube-state-metrics/templates/** (kube-state-metrics-8.4.0),
 * charts/prometheus-node-exporter/templates/** (prometheus-node-exporter-4.56.1); subchart paths are
 * prefixed with the subchart's name as the parent's values nest them. `crds.enabled`,
 * `kubeStateMetrics.enabled`, `nodeExporter.enabled` and `grafana.enabled` are the dependencies'
 * conditions in charts/kube-prometheus-stack/Chart.yaml. Grafana's subtree is the grafana part's, checked there.
 */
export const CHART_CONDITIONS = [
  "crds.enabled",
  "kubeStateMetrics.enabled",
  "nodeExporter.enabled",
  "grafana.enabled",
];

export const TEMPLATE_READS: Readonly<Record<string, string>> = {
  fullnameOverride: "templates/_helpers.tpl",
  "defaultRules.create": "templates/prometheus/rules-1.14/alertmanager.rules.yaml",
  "defaultRules.rules.nodeExporterAlerting": "templates/prometheus/rules-1.14/node-exporter.yaml",
  "defaultRules.rules.node": "templates/prometheus/rules-1.14/node.rules.yaml",
  "defaultRules.rules.kubeSchedulerAlerting":
    "templates/prometheus/rules-1.14/kubernetes-system-scheduler.yaml",
  "defaultRules.rules.kubeSchedulerRecording": "templates/prometheus/rules-1.14/kube-scheduler.rules.yaml",
  "defaultRules.rules.kubeProxy": "templates/prometheus/rules-1.14/kubernetes-system-kube-proxy.yaml",
  "defaultRules.rules.windows": "templates/prometheus/rules-1.14/windows.node.rules.yaml",
  "defaultRules.additionalRuleLabels": "templates/prometheus/rules-1.14/alertmanager.rules.yaml",
  "defaultRules.disabled.KubePersistentVolumeFillingUp":
    "templates/prometheus/rules-1.14/kubernetes-storage.yaml",
  "defaultRules.disabled.TargetDown": "templates/prometheus/rules-1.14/general.rules.yaml",
  "windowsMonitoring.enabled": "templates/grafana/dashboards-1.14/k8s-resources-windows-cluster.yaml",
  "kubeControllerManager.enabled": "templates/exporters/kube-controller-manager/endpoints.yaml",
  "kubeControllerManager.endpoints": "templates/exporters/kube-controller-manager/endpoints.yaml",
  "kubeControllerManager.service.enabled": "templates/exporters/kube-controller-manager/service.yaml",
  "kubeControllerManager.service.port": "templates/exporters/kube-controller-manager/endpoints.yaml",
  "kubeControllerManager.service.targetPort": "templates/exporters/kube-controller-manager/service.yaml",
  "kubeControllerManager.serviceMonitor.enabled":
    "templates/exporters/kube-controller-manager/servicemonitor.yaml",
  "kubeControllerManager.serviceMonitor.https":
    "templates/exporters/kube-controller-manager/servicemonitor.yaml",
  "kubeEtcd.enabled": "templates/exporters/kube-etcd/endpoints.yaml",
  "kubeEtcd.endpoints": "templates/exporters/kube-etcd/endpoints.yaml",
  "kubeEtcd.service.enabled": "templates/exporters/kube-etcd/service.yaml",
  "kubeEtcd.service.port": "templates/exporters/kube-etcd/endpoints.yaml",
  "kubeEtcd.service.targetPort": "templates/exporters/kube-etcd/service.yaml",
  "kubeEtcd.serviceMonitor.enabled": "templates/exporters/kube-etcd/servicemonitor.yaml",
  "kubeEtcd.serviceMonitor.scheme": "templates/exporters/kube-etcd/servicemonitor.yaml",
  "kubeScheduler.enabled": "templates/exporters/kube-scheduler/endpoints.yaml",
  "kubeProxy.enabled": "templates/exporters/kube-proxy/endpoints.yaml",
  "prometheus.enabled": "templates/prometheus/additionalAlertRelabelConfigs.yaml",
  "prometheus.prometheusSpec.image.registry": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.image.repository": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.image.tag": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.image.sha": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.resources": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.retention": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.retentionSize": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.storageSpec": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.persistentVolumeClaimRetentionPolicy": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues": "templates/prometheus/prometheus.yaml",
  "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues": "templates/prometheus/prometheus.yaml",
  "alertmanager.enabled": "templates/alertmanager/alertmanager.yaml",
  "alertmanager.alertmanagerSpec.image.registry": "templates/alertmanager/alertmanager.yaml",
  "alertmanager.alertmanagerSpec.image.repository": "templates/alertmanager/alertmanager.yaml",
  "alertmanager.alertmanagerSpec.image.tag": "templates/alertmanager/alertmanager.yaml",
  "alertmanager.alertmanagerSpec.image.sha": "templates/alertmanager/alertmanager.yaml",
  "alertmanager.alertmanagerSpec.resources": "templates/alertmanager/alertmanager.yaml",
  "alertmanager.alertmanagerSpec.volumes": "templates/alertmanager/alertmanager.yaml",
  "alertmanager.alertmanagerSpec.volumeMounts": "templates/alertmanager/alertmanager.yaml",
  "prometheus.prometheusSpec.additionalScrapeConfigs": "templates/prometheus/additionalScrapeConfigs.yaml",
  "alertmanager.alertmanagerSpec.useExistingSecret": "templates/alertmanager/secret.yaml",
  "prometheusOperator.enabled": "templates/prometheus-operator/admission-webhooks/deployment/deployment.yaml",
  "prometheusOperator.image.registry": "templates/prometheus-operator/deployment.yaml",
  "prometheusOperator.image.repository": "templates/prometheus-operator/deployment.yaml",
  "prometheusOperator.image.tag": "templates/prometheus-operator/deployment.yaml",
  "prometheusOperator.image.sha": "templates/prometheus-operator/deployment.yaml",
  "prometheusOperator.resources": "templates/prometheus-operator/deployment.yaml",
  "prometheusOperator.tls.enabled": "templates/prometheus-operator/ciliumnetworkpolicy.yaml",
  "prometheusOperator.admissionWebhooks.enabled":
    "templates/prometheus-operator/admission-webhooks/job-patch/ciliumnetworkpolicy-createSecret.yaml",
  "prometheusOperator.admissionWebhooks.patch.enabled":
    "templates/prometheus-operator/admission-webhooks/job-patch/ciliumnetworkpolicy-createSecret.yaml",
  "prometheusOperator.prometheusConfigReloader.image.registry":
    "templates/prometheus-operator/deployment.yaml",
  "prometheusOperator.prometheusConfigReloader.image.repository":
    "templates/prometheus-operator/deployment.yaml",
  "prometheusOperator.prometheusConfigReloader.image.tag": "templates/prometheus-operator/deployment.yaml",
  "prometheusOperator.prometheusConfigReloader.image.sha": "templates/prometheus-operator/deployment.yaml",
  "prometheusOperator.prometheusConfigReloader.resources": "templates/prometheus-operator/deployment.yaml",
  "kube-state-metrics.image.registry": "kube-state-metrics:templates/_helpers.tpl",
  "kube-state-metrics.image.repository": "kube-state-metrics:templates/_helpers.tpl",
  "kube-state-metrics.image.tag": "kube-state-metrics:templates/_helpers.tpl",
  "kube-state-metrics.image.sha": "kube-state-metrics:templates/_helpers.tpl",
  "kube-state-metrics.collectorsExclude": "kube-state-metrics:templates/_helpers.tpl",
  "kube-state-metrics.resources": "kube-state-metrics:templates/deployment.yaml",
  "prometheus-node-exporter.image.registry": "prometheus-node-exporter:templates/_helpers.tpl",
  "prometheus-node-exporter.image.repository": "prometheus-node-exporter:templates/_helpers.tpl",
  "prometheus-node-exporter.image.tag": "prometheus-node-exporter:templates/_helpers.tpl",
  "prometheus-node-exporter.containerSecurityContext": "prometheus-node-exporter:templates/daemonset.yaml",
  "prometheus-node-exporter.resources": "prometheus-node-exporter:templates/daemonset.yaml",
  "prometheus-node-exporter.namespaceOverride": "prometheus-node-exporter:templates/_helpers.tpl",
  "prometheus-node-exporter.tolerations": "prometheus-node-exporter:templates/daemonset.yaml",
};
