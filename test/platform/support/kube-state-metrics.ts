// How kube-state-metrics names a Kubernetes label in kube_<kind>_labels (its internal/store/utils.go
// labelName): every character outside [a-zA-Z0-9_] becomes `_`, camelCase becomes snake_case,
// everything is lower-cased, and `label_` goes in front.
export function kubeStateMetricsLabel(kubernetesLabel: string): string {
  const sanitized = kubernetesLabel.replace(/[^a-zA-Z0-9_]/g, '_');
  return `label_${sanitized.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;
}
