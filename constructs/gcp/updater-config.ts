/**
 * The GCP updater's configuration document as the stack builds it for a target (names only, no
 * Terraform values): what `runner-kit update` runs with on the deployer's machine (Cloud Run worker
 * pools, or run-controller on GKE).
 */
import { maintenanceWindowOf } from '../core/config/schema';
import { mirrorRepositoryName } from '../core/naming';
import { RUNNER_RUN_TIMEOUT_MINUTES } from '../core/runner-settings';
import { buildGcpUpdaterConfig, type GcpUpdaterConfig } from '../../updater/entry/gcp-updater-config';
import type { GcpTargetConfig } from './config';
import { releaseImagesOf } from '../kubernetes/release-images';
import { gkeClusterName, gkeControllerName, kitBucketName, mirrorRegistryUrl, schedulerServiceAccountId, serviceAccountEmail, UPDATER_RUNTIME_PACKAGE, UPDATER_RUNTIME_RECORD_OBJECT, updaterJobName, versionRecordObject, workerPoolName } from './gcp-names';

export function expectedGcpUpdaterConfig(target: string, t: GcpTargetConfig): GcpUpdaterConfig {
  const project = t.gcp.projectId;
  const window = maintenanceWindowOf(t.updates);
  return buildGcpUpdaterConfig({
    target,
    project,
    region: t.region,
    rolloutTimeoutMinutes: t.updates.rolloutTimeoutMinutes,
    policy: { channel: t.updates.channel, hold: t.updates.hold, allowDowngrade: t.updates.allowDowngrade, ...(window !== undefined ? { window } : {}) },
    bucket: kitBucketName(project, target),
    mirrorRegistry: mirrorRegistryUrl(t.region, project, target),
    job: updaterJobName(target),
    schedulerServiceAccount: serviceAccountEmail(schedulerServiceAccountId(target), project),
    runtimePackage: UPDATER_RUNTIME_PACKAGE,
    runtimeRecord: UPDATER_RUNTIME_RECORD_OBJECT,
    runners: Object.entries(t.runners).map(([runner, r]) => {
      const pkg = (image: string) => mirrorRepositoryName(target, image).slice(target.length + 1);
      if (t.platform !== 'gke') return { name: runner, upstreamImage: r.image, version: r.version, mirrorPackage: pkg(r.image), workerPool: workerPoolName(target, runner), record: versionRecordObject(runner) };
      // GKE: run-controller's release (the controller and its job images at one tag).
      const release = releaseImagesOf(t, runner);
      return {
        name: runner,
        upstreamImage: release.controller,
        version: r.version,
        mirrorPackage: pkg(release.controller),
        record: versionRecordObject(runner),
        kubernetes: {
          cluster: gkeClusterName(target),
          namespace: t.kubernetes!.namespace,
          deployment: gkeControllerName(runner),
          implementations: Object.entries(release.implementations).map(([type, image]) => ({ type, upstreamImage: image as string, mirrorPackage: pkg(image as string) })),
        },
      };
    }),
    runTimeoutMinutes: RUNNER_RUN_TIMEOUT_MINUTES,
  });
}
