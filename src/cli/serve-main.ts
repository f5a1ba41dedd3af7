// Entry point of the onboarding service's image (bundled by scripts/build.ts into dist/serve.js):
// `tenantctl serve`, run by plain Node without tsx; `serve.js store backup|restore …` is
// `tenantctl store` (backups from inside the running pod).
import { serveCommand } from './serve.ts';
import { storeCommand } from './store.ts';

const [first, ...rest] = process.argv.slice(2);
process.exitCode = first === 'store' ? await storeCommand(rest) : await serveCommand(process.argv.slice(2));
