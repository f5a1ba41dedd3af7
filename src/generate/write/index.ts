export { planWrite, planIsClean, type WritePlan } from './plan.ts';
export { openTreeWriter, writeTree, type TreeWriter, type WriteTreeResult } from './tree-writer.ts';
export { listGeneratedFiles } from './generated-tree.ts';
