// `tenantctl impact`: what a change does to every tenant's rendered objects, against a git ref.
export {
  computeImpact,
  type ImpactReport,
  type ImpactOptions,
  type TenantImpact,
  type RenderFailure,
} from './impact.ts';
export { type ObjectChange, type FieldChange, type ChangeKind, diffObjects, fieldChanges } from './object-diff.ts';
export { fleetSummary, type FleetRow } from './fleet-summary.ts';
export { formatImpactText } from './format-text.ts';
export { formatImpactMarkdown, IMPACT_COMMENT_MARKER, MAX_COMMENT_CHARS } from './format-markdown.ts';
