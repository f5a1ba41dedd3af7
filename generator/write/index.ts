export { planWrite, planIsClean, type WritePlan } from './plan.ts';
export { writeTree, type WriteTreeResult } from './write-tree.ts';
export { listGeneratedFiles } from './generated-tree.ts';
