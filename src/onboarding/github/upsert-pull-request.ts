// Creates the PR of a branch, or brings the open one up to date (title, body, labels).
import type { GitHubClient } from './client.ts';
import { githubCall } from './errors.ts';
import type { PullRequestRef } from './find-pull-request.ts';

export interface PullRequestText {
  title: string;
  body: string;
  labels: string[];
}

export async function createPullRequest(
  gh: GitHubClient,
  input: PullRequestText & { branch: string; base: string },
): Promise<PullRequestRef> {
  const { octokit, owner, repo } = gh;
  const created = await githubCall(`opening the PR of ${input.branch}`, () =>
    octokit.rest.pulls.create({
      owner,
      repo,
      head: input.branch,
      base: input.base,
      title: input.title,
      body: input.body,
    }),
  );
  await addLabels(gh, created.data.number, input.labels);
  return { number: created.data.number, url: created.data.html_url };
}

export async function updatePullRequest(gh: GitHubClient, number: number, input: PullRequestText): Promise<void> {
  const { octokit, owner, repo } = gh;
  await githubCall(`updating PR #${number}`, () =>
    octokit.rest.pulls.update({ owner, repo, pull_number: number, title: input.title, body: input.body }),
  );
  await addLabels(gh, number, input.labels);
}

async function addLabels(gh: GitHubClient, number: number, labels: string[]): Promise<void> {
  if (labels.length === 0) return;
  const { octokit, owner, repo } = gh;
  await githubCall(`labelling PR #${number}`, () =>
    octokit.rest.issues.addLabels({ owner, repo, issue_number: number, labels }),
  );
}
