// A short-lived token of the tenant's `tenant-admin` ServiceAccount through the TokenRequest API.
// The token is returned to the caller only: never logged, never stored.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { InputError, NotFoundError } from '../../shared/errors.ts';
import { rootNamespace } from '../../tenant/names.ts';
import { MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS } from '../../tenant/platform.ts';
import { apiMessageOf, isNotFound } from './api-errors.ts';

export const TENANT_ADMIN_SERVICE_ACCOUNT = 'tenant-admin';

export interface TenantToken {
  token: string;
  /** ISO 8601. */
  expiresAt: string;
}

export async function requestTenantToken(
  kubeConfig: KubeConfig,
  tenant: string,
  expirationSeconds = MIN_TOKEN_SECONDS,
): Promise<TenantToken> {
  if (
    !Number.isInteger(expirationSeconds) ||
    expirationSeconds < MIN_TOKEN_SECONDS ||
    expirationSeconds > MAX_TOKEN_SECONDS
  ) {
    throw new InputError([
      {
        path: 'expirationSeconds',
        message: `must be a whole number of seconds between ${MIN_TOKEN_SECONDS} and ${MAX_TOKEN_SECONDS}, got ${expirationSeconds}`,
        fix: `ask for ${MIN_TOKEN_SECONDS} seconds and request a new token when it expires`,
      },
    ]);
  }
  const namespace = rootNamespace(tenant);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  try {
    const response = await core.createNamespacedServiceAccountToken({
      name: TENANT_ADMIN_SERVICE_ACCOUNT,
      namespace,
      body: { spec: { audiences: [], expirationSeconds } },
    });
    const token = response.status?.token;
    const expiration = response.status?.expirationTimestamp;
    if (!token || !expiration) {
      throw new Error(
        `tenant-gitops: the TokenRequest for ${namespace}/${TENANT_ADMIN_SERVICE_ACCOUNT} returned no token`,
      );
    }
    return { token, expiresAt: new Date(expiration).toISOString() };
  } catch (error) {
    if (isNotFound(error)) {
      throw new NotFoundError(
        `ServiceAccount ${TENANT_ADMIN_SERVICE_ACCOUNT} in namespace ${namespace} does not exist (${apiMessageOf(error)}); ` +
          'the tenant is not provisioned yet: wait for its Application to be Healthy',
        { cause: error },
      );
    }
    throw error;
  }
}
