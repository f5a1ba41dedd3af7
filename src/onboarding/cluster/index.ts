// The cluster edge of the onboarding service: the tenants' Application watch, TokenRequest and
// offboarding deletes. Nothing here calls back into the service; the service passes callbacks in.
export { watchTenantApplications } from './watch-applications.ts';
export type { TenantApplicationWatch, WatchTenantApplicationsOptions } from './watch-applications.ts';
export type { ApplicationStatus } from './application-status.ts';
export { parseApplication } from './application-status.ts';
export { requestTenantToken, TENANT_ADMIN_SERVICE_ACCOUNT } from './token-request.ts';
export type { TenantToken } from './token-request.ts';
export { offboardTenantFromCluster, refuseForeignNamespaces } from './offboard-tenant.ts';
export { suspendTenant } from './suspend-tenant.ts';
export { takeFinalBackup } from './final-backup.ts';
export { verifyTenantGone } from './verify-offboarding.ts';
export { promptArgoCD, decidePrompt } from './prompt-argocd.ts';
export type { ArgoObservation, PromptAction, PromptDecision } from './prompt-argocd.ts';
export type { OffboardOptions, OffboardResult } from './offboard-tenant.ts';
export { BackupFailedError } from './final-backup.ts';
export type { BackupSettings, FinalBackup } from './final-backup.ts';
export { ClusterTimeoutError } from './wait-until-gone.ts';
export type { BackoffOptions } from './backoff.ts';
