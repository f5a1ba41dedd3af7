export { renderTenant, renderAll, renderTree, TENANT_SCHEMA_PATH, type RenderAllOptions } from './render-tenant.ts';
export { renderAppProject, renderNamespaces, appProjectName, argocdTenantPath } from './argocd-tenant.ts';
export { overlayDir, overlayKinds, tenantLabels } from './overlay.ts';
export { metadataExceptFor } from './network-allowances.ts';
export * from './platform-config.ts';
