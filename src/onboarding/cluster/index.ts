// The cluster edge of the onboarding service: the tenants' Application watch, TokenRequest and
// offboarding deletes. Nothing here calls back into the service; the service passes callbacks in.
export { watchTenantApplications } from './watch-applications.ts';
export type { TenantApplicationWatch, WatchTenantApplicationsOptions } from './watch-applications.ts';
export type { ApplicationStatus } from './application-status.ts';
export { parseApplication } from './application-status.ts';
export { requestTenantToken, TENANT_ADMIN_SERVICE_ACCOUNT } from './token-request.ts';
export type { TenantToken } from './token-request.ts';
export { offboardTenant, offboardTenantFromCluster } from './offboard-tenant.ts';
export { promptArgoCD, decidePrompt } from './prompt-argocd.ts';
export type { ArgoObservation, PromptAction, PromptDecision } from './prompt-argocd.ts';
export type { OffboardOptions, OffboardResult, TenantOffboarding } from './offboard-tenant.ts';
export { BackupFailedError } from './final-backup.ts';
export type { BackupSettings, FinalBackup } from './final-backup.ts';
export { ClusterTimeoutError } from './wait-until-gone.ts';
export type { BackoffOptions } from './backoff.ts';
