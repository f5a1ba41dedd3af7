// Entry point of the onboarding service's image (bundled by scripts/build.ts into dist/serve.js):
// `tenantctl serve` alone, run by plain Node without tsx.
import { serveCommand } from './serve.ts';

process.exitCode = await serveCommand(process.argv.slice(2));
