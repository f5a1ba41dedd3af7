// spec → files: the pure renderer. Derived names and platform facts come from tenant/.
export { renderTenant, renderAll, renderTree, type RenderAllOptions } from './render-tenant.ts';
export { renderAppProject, renderNamespaces } from './argocd-tenant.ts';
export { overlayKinds, tenantLabels } from './overlay.ts';
export { egressExceptsFor } from './network-allowances.ts';
