/**
 * The updater's cloud-neutral core: release tags, update policy, maintenance windows and the
 * decision built from them. Pure functions without I/O or clock reads; adapters supply the
 * upstream tags, the running tag and `now`, and carry out the decision.
 */
export { compareReleases, formatRelease, parseReleaseTag, type ReleaseVersion } from './release-version';
export {
  chooseTarget,
  releasesIn,
  validateUpdatePolicy,
  type TargetChoice,
  type UpdateChannel,
  type UpdatePolicy,
} from './update-policy';
export {
  cronMatches,
  isInsideWindow,
  nextWindowStart,
  parseCron,
  validateMaintenanceWindow,
  type CronParseResult,
  type CronSchedule,
  type MaintenanceWindow,
  type WallClockTime,
} from './maintenance-window';
export {
  decide,
  type DecideInput,
  type UpdateAction,
  type UpdateDecision,
  type UpdateOutcome,
  type UpdateRequest,
} from './decide';
export { parsePayload, type PayloadResult, type UpdaterAction, type UpdaterPayload } from './payload';
export * from './ports';
export { runUpdater, type RunnerPorts, type RunnerResult, type UpdaterRunInput, type UpdaterRunResult } from './run';
export { awaitMeshstack, judgeInstances, type InstanceEvidence, type MeshstackObservation, type MeshstackSignal } from './meshstack-signal';
export { describeRuns, waitUntilIdle, type IdleResult, type RunInProgress, type RunnerActivity } from './runner-activity';
