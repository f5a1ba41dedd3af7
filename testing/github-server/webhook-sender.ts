// Sends GitHub's `pull_request` webhook when a PR closes: payload validated against
// @octokit/openapi-webhooks, signed with X-Hub-Signature-256 (the secret's HMAC, for real), each
// with its own X-GitHub-Delivery id. Deliveries are recorded like GitHub's "Recent Deliveries".
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { OpenApiValidator } from './openapi-validator.ts';
import { renderPullRequest } from './pull-request-view.ts';
import type { PullRequestRecord } from './pull-requests.ts';
import { repositoryObject } from './github-objects.ts';
import type { GitHubState } from './state.ts';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface Delivery {
  id: string;
  event: string;
  action: string;
  url: string;
  /** HTTP status the receiver answered, or null when it could not be reached. */
  status: number | null;
  error?: string;
  payload: string;
  signature: string;
}

export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #state: GitHubState;
  readonly #validator: OpenApiValidator;
  readonly #targets: WebhookTarget[];

  constructor(state: GitHubState, validator: OpenApiValidator, targets: WebhookTarget[]) {
    this.#state = state;
    this.#validator = validator;
    this.#targets = targets;
  }

  /** Like GitHub, delivery happens after the triggering request, never inside it. */
  pullRequestClosed(pr: PullRequestRecord): void {
    const work = this.#send(pr).catch(() => undefined);
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  /** Resolves when every delivery started so far has been answered (or failed). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  async #send(pr: PullRequestRecord): Promise<void> {
    const state = this.#state;
    const payload = {
      action: 'closed',
      number: pr.number,
      pull_request: await renderPullRequest(state, pr),
      repository: repositoryObject(state.urls, state.facts()),
      sender: state.actor,
    };
    this.#validator.checkWebhook('pull_request', 'closed', payload);
    const body = JSON.stringify(payload);
    await Promise.all(this.#targets.map((target) => this.#deliver(target, body)));
  }

  async #deliver(target: WebhookTarget, body: string): Promise<void> {
    const delivery: Delivery = {
      id: randomUUID(),
      event: 'pull_request',
      action: 'closed',
      url: target.url,
      status: null,
      payload: body,
      signature: await sign(target.secret, body),
    };
    this.deliveries.push(delivery);
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/tenant-gitops-local',
          'x-github-event': delivery.event,
          'x-github-delivery': delivery.id,
          'x-github-hook-id': '1',
          'x-hub-signature-256': delivery.signature,
        },
        body,
        // GitHub gives a receiver 10 seconds.
        signal: AbortSignal.timeout(10_000),
      });
      delivery.status = response.status;
      await response.arrayBuffer();
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
  }
}
