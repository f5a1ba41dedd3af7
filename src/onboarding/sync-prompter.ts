// After a tenant's PR merges, ArgoCD is asked to act now (cluster/prompt-argocd.ts: platform
// Application, then ApplicationSet once the AppProject exists, then the Application's refresh and
// sync) instead of at its next poll. Every `intervalMs` each tenant in `merged` gets one round, in
// its own queue, until it leaves `merged` (provisioned, degraded, a new change) or `giveUpAfterMs`
// has passed since the service first prompted for that merge; ArgoCD's own polling is the fallback
// either way, so a prompt that fails (ArgoCD down, RBAC missing) delays a tenant, never loses it.
// Cost: four reads per round (the platform Application, the tenant's AppProject and Application,
// the ApplicationSet); after the first minute of a merge a tenant gets a round every 5 intervals,
// and at most MAX_CONCURRENT rounds run at once, so a thousand merges at once do not flood the API
// server.
import { tenantsForRound, type BackgroundHealth } from './background-health.ts';
import { atOrAfterMerge, placedTenant, type ServiceContext } from './context.ts';

export interface SyncPrompterOptions {
  /** false: never prompt, ArgoCD's polling alone (to measure it). @default true */
  enabled?: boolean;
  /** Between two rounds for one tenant. @default 2_000 */
  intervalMs?: number;
  /** After this long for one merge, the tenant is left to ArgoCD's polling. @default 15 minutes */
  giveUpAfterMs?: number;
}

/** Rounds in flight at once, over all tenants. */
const MAX_CONCURRENT = 8;
/** After this long for one merge, rounds come every SLOW_FACTOR intervals. */
const FAST_PHASE_MS = 60_000;
const SLOW_FACTOR = 5;

interface Prompting {
  mergeSha: string;
  since: number;
  nextAt: number;
  /** Whether a revision is the merge commit or after it (context.ts atOrAfterMerge: GitHub asked once each). */
  current: (revision: string) => Promise<boolean>;
  lastWaitingFor: string;
  gaveUp: boolean;
}

export class SyncPrompter {
  readonly #context: ServiceContext;
  readonly #intervalMs: number;
  readonly #giveUpAfterMs: number;
  readonly #enabled: boolean;
  readonly #health: BackgroundHealth | undefined;
  readonly #tenants = new Map<string, Prompting>();
  readonly #running = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(context: ServiceContext, options: SyncPrompterOptions = {}, health?: BackgroundHealth) {
    this.#context = context;
    this.#intervalMs = options.intervalMs ?? 2_000;
    this.#giveUpAfterMs = options.giveUpAfterMs ?? 15 * 60_000;
    this.#enabled = options.enabled ?? true;
    this.#health = health;
  }

  start(): void {
    if (!this.#context.cluster || !this.#enabled) return;
    this.promptAll();
    this.#timer = setInterval(() => this.promptAll(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  promptAll(): void {
    const names = tenantsForRound(
      this.#context,
      this.#health,
      'prompter',
      ['merged'],
      'the merged tenants to prompt ArgoCD for',
    );
    if (!names) return;
    const merged = new Set(names);
    for (const name of this.#tenants.keys()) if (!merged.has(name)) this.#tenants.delete(name);
    for (const name of names) this.#prompt(name);
  }

  #prompt(name: string): void {
    if (this.#running.has(name) || this.#running.size >= MAX_CONCURRENT) return;
    const entry = this.#tenants.get(name);
    if (entry && Date.now() < entry.nextAt) return;
    this.#running.add(name);
    void this.#context.queue
      .run(name, () => this.#round(name))
      .catch((error: unknown) =>
        this.#context.log.warn(
          { tenant: name, error },
          'could not prompt ArgoCD; trying again, ArgoCD polls meanwhile',
        ),
      )
      .finally(() => this.#running.delete(name));
  }

  async #round(name: string): Promise<void> {
    const cluster = this.#context.cluster;
    const tenant = this.#context.store.tenants.get(name);
    if (!cluster || !tenant || tenant.state !== 'merged' || !tenant.mergeSha) return;
    const mergeSha = tenant.mergeSha;
    let entry = this.#tenants.get(name);
    if (!entry || entry.mergeSha !== mergeSha) {
      entry = {
        mergeSha,
        since: Date.now(),
        nextAt: 0,
        current: atOrAfterMerge(this.#context, mergeSha),
        lastWaitingFor: '',
        gaveUp: false,
      };
      this.#tenants.set(name, entry);
    }
    const elapsed = Date.now() - entry.since;
    // Due a little before a full interval, so a round is not skipped by timer jitter.
    entry.nextAt = Date.now() + (elapsed > FAST_PHASE_MS ? SLOW_FACTOR : 1) * this.#intervalMs - 100;
    if (entry.gaveUp) return;
    const log = this.#context.log.child({ tenant: name, merge: mergeSha });
    if (elapsed > this.#giveUpAfterMs) {
      entry.gaveUp = true;
      log.warn(
        { waitingFor: entry.lastWaitingFor, afterMs: this.#giveUpAfterMs },
        'ArgoCD has not provisioned the tenant; no more prompts for this merge, ArgoCD polls on its own',
      );
      return;
    }
    const result = await cluster.promptArgoCD(placedTenant(this.#context, tenant), entry.current);
    if (result.actions.length > 0 || result.waitingFor !== entry.lastWaitingFor)
      log.info({ actions: result.actions, waitingFor: result.waitingFor }, 'prompted ArgoCD');
    entry.lastWaitingFor = result.waitingFor;
  }
}
