export { validateRepository, overlayTenants, type ValidationReport, type ValidationProblem } from './validate-repo.ts';
export { kustomizeDirectory, kustomizeOverlays, parseManifests, type Manifest } from './kustomize-overlays.ts';
export { checkOverlayInvariants, type TenantBoundary } from './invariants.ts';
export { kubeconformFiles, schemaDir, KUBERNETES_VERSION } from './kubeconform.ts';
