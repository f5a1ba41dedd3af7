// `npm run build`: `tenantctl serve` as plain JavaScript, dist/serve.js (+ lazily loaded chunks), for
// the onboarding service's image. The sources run through tsx everywhere else; the service does not,
// because tsx's module hooks keep a second copy of every module they load (the Kubernetes client
// alone is about 800), which put the service over its memory budget with a cluster configured.
// npm packages stay external (loaded from node_modules as usual); only the project's own code is
// bundled. Files the code reads next to its own source (the PR body template) are copied beside it.
// The cluster code stays a separate chunk, loaded only when a cluster is configured, as from source.
//   usage: npx tsx scripts/build.ts [OUT_DIR]    (default: dist/)
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
export const SERVE_ENTRY = 'serve.js';
/** Read at run time through `new URL(name, import.meta.url)`: they must sit beside the bundle. */
const FILES_BESIDE_SOURCE = ['src/onboarding/github/pull-request-body.hbs'];

/**
 * Bundles src/cli/serve-main.ts into OUT_DIR/serve.js and returns its path. OUT_DIR must be
 * inside this checkout (dist/ by default) so the bundle finds node_modules as the sources do.
 */
export async function buildServeBundle(outDir = join(ROOT, 'dist')): Promise<string> {
  const out = resolve(outDir);
  if (!out.startsWith(`${ROOT}/`))
    throw new Error(`tenant-gitops: build output ${out} must be a folder inside ${ROOT} (fix: omit it for dist/)`);
  mkdirSync(out, { recursive: true });
  // Chunk names carry content hashes: clear the previous build's files, nothing else.
  for (const entry of readdirSync(out)) if (entry.endsWith('.js') || entry.endsWith('.hbs')) rmSync(join(out, entry));
  await build({
    entryPoints: [{ in: join(ROOT, 'src/cli/serve-main.ts'), out: SERVE_ENTRY.replace(/\.js$/, '') }],
    outdir: out,
    splitting: true,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    legalComments: 'none',
  });
  for (const file of FILES_BESIDE_SOURCE) copyFileSync(join(ROOT, file), join(out, file.split('/').pop()!));
  return join(out, SERVE_ENTRY);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outfile = await buildServeBundle(process.argv[2]);
  process.stdout.write(`tenant-gitops: built ${outfile}\n`);
}
