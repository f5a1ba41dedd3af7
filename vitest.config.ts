import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure code, real git/kustomize/kubeconform, local GitHub server) and
// `e2e` (test/e2e: needs the control plane from scripts/control-plane.sh; KUBECONFIG points at it).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          globalSetup: ['testing/postgres-global-setup.ts'],
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          globalSetup: ['testing/postgres-global-setup.ts'],
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          // One control plane: files run one after another (a per-project fileParallelism is not allowed).
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
