// Commit graph questions answered from Node when the answer is near: a tenant branch is one commit
// on top of main, so "what is in head but not in base" is a short walk that stops at base. When the
// walk would wander into history (base not reached within a few commits), the caller asks git.

/** Parents of a commit, or null when it cannot be read. */
export type ParentsOf = (sha: string) => Promise<string[] | null>;

const WALK_LIMIT = 64;

/**
 * Commits reachable from `head` but not from `base`, oldest first, when every path from head reaches
 * base within the limit; null otherwise. (Each commit met then has base as an ancestor, so none of
 * them can be reachable from base: the set is exactly `git rev-list base..head`.)
 */
export async function commitsUpTo(parentsOf: ParentsOf, base: string, head: string): Promise<string[] | null> {
  if (base === head) return [];
  const seen = new Set<string>();
  const order: string[] = [];
  const stack = [head];
  while (stack.length > 0) {
    const sha = stack.pop() as string;
    if (sha === base || seen.has(sha)) continue;
    if (seen.size >= WALK_LIMIT) return null;
    const parents = await parentsOf(sha);
    if (parents === null || parents.length === 0) return null;
    seen.add(sha);
    order.push(sha);
    stack.push(...parents);
  }
  return topoOldestFirst(parentsOf, order);
}

/** Parents before children, like `rev-list --reverse` for this small set. */
async function topoOldestFirst(parentsOf: ParentsOf, commits: string[]): Promise<string[]> {
  const inSet = new Set(commits);
  const done = new Set<string>();
  const out: string[] = [];
  const visit = async (sha: string): Promise<void> => {
    if (done.has(sha) || !inSet.has(sha)) return;
    done.add(sha);
    for (const parent of (await parentsOf(sha)) ?? []) await visit(parent);
    out.push(sha);
  };
  for (const sha of commits) await visit(sha);
  return out;
}
