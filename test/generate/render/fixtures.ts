// Resolved tenants covering every feature, built by hand so render tests do not depend on spec/.
import type { ResolvedTenant } from '../../../src/tenant/types.ts';

export const enterpriseTenant: ResolvedTenant = {
  name: 'acme',
  tier: 'enterprise',
  owners: [{ kind: 'Group', name: 'acme-admins' }],
  quota: {
    'limits.cpu': '32',
    'limits.memory': '128Gi',
    persistentvolumeclaims: '50',
    'requests.storage': '1Ti',
    pods: '100',
    'requests.cpu': '16',
    'requests.memory': '64Gi',
    'services.loadbalancers': '4',
  },
  limits: {
    default: { cpu: '500m', 'ephemeral-storage': '1Gi', memory: '512Mi' },
    defaultRequest: { cpu: '250m', 'ephemeral-storage': '256Mi', memory: '256Mi' },
    max: { cpu: '8', 'ephemeral-storage': '8Gi', memory: '32Gi' },
  },
  gpuSlices: 4,
  subNamespaces: ['dev', 'prod'],
  network: { allowIngressFromNamespaces: ['ingress-nginx'], allowEgressTo: [] },
  ingress: { hosts: ['*.apps.acme.example', 'shop.acme.example'] },
  nodePool: 'dedicated',
  secrets: 'off',
  cluster: 'in-cluster',
};

export const businessTenant: ResolvedTenant = {
  name: 'globex',
  tier: 'business',
  owners: [
    { kind: 'Group', name: 'globex-admins' },
    { kind: 'User', name: 'hank@globex.example' },
  ],
  quota: {
    'limits.cpu': '16',
    'limits.memory': '32Gi',
    persistentvolumeclaims: '20',
    'requests.storage': '100Gi',
    pods: '50',
    'requests.cpu': '8',
    'requests.memory': '16Gi',
    'services.loadbalancers': '2',
  },
  limits: {
    default: { cpu: '500m', 'ephemeral-storage': '1Gi', memory: '512Mi' },
    defaultRequest: { cpu: '100m', 'ephemeral-storage': '256Mi', memory: '128Mi' },
    max: { cpu: '4', 'ephemeral-storage': '8Gi', memory: '8Gi' },
  },
  gpuSlices: 0,
  subNamespaces: [],
  network: {
    allowIngressFromNamespaces: ['ingress-nginx', 'monitoring'],
    allowEgressTo: [
      { cidr: '10.20.0.0/16', ports: [5432] },
      { cidr: '0.0.0.0/0', ports: [443] },
    ],
  },
  ingress: { hosts: ['www.globex.example'] },
  nodePool: 'shared',
  secrets: 'off',
  cluster: 'in-cluster',
};

export const freeTenant: ResolvedTenant = {
  name: 'initech',
  tier: 'free',
  owners: [{ kind: 'User', name: 'peter@initech.example' }],
  quota: {
    'limits.cpu': '2',
    'limits.memory': '4Gi',
    persistentvolumeclaims: '2',
    'requests.storage': '10Gi',
    pods: '20',
    'requests.cpu': '1',
    'requests.memory': '2Gi',
    'services.loadbalancers': '0',
  },
  limits: {
    default: { cpu: '200m', 'ephemeral-storage': '1Gi', memory: '256Mi' },
    defaultRequest: { cpu: '100m', 'ephemeral-storage': '256Mi', memory: '128Mi' },
    max: { cpu: '1', 'ephemeral-storage': '8Gi', memory: '1Gi' },
  },
  gpuSlices: 0,
  subNamespaces: [],
  network: { allowIngressFromNamespaces: [], allowEgressTo: [] },
  ingress: { hosts: [] },
  nodePool: 'shared',
  secrets: 'off',
  cluster: 'in-cluster',
};

export const exampleTenants = [enterpriseTenant, businessTenant, freeTenant];
