export { planWrite, planIsClean, type WritePlan } from './plan.ts';
export { applyPlan, type ApplyResult } from './apply.ts';
export { listGeneratedFiles } from './generated-tree.ts';
