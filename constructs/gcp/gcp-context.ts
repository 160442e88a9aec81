/**
 * What every GCP construct of a stack shares: the project (id from config, number read from the
 * project), the region, the APIs the kit needs (enabled once per stack, never disabled on destroy:
 * the kit does not know who else uses them), and the service agents it grants use of its key.
 */
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { type ITerraformDependable, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/** The APIs a Cloud Run target uses. */
export const CLOUD_RUN_TARGET_APIS = [
  'artifactregistry.googleapis.com',
  'cloudkms.googleapis.com',
  'cloudscheduler.googleapis.com',
  'compute.googleapis.com',
  'iam.googleapis.com',
  'iamcredentials.googleapis.com',
  'logging.googleapis.com',
  'monitoring.googleapis.com',
  'run.googleapis.com',
  'secretmanager.googleapis.com',
  'storage.googleapis.com',
] as const;

/** The APIs a GKE target's cluster stack uses: Cloud Run's (the updater is a Cloud Run job) and GKE. */
export const GKE_TARGET_APIS = [...CLOUD_RUN_TARGET_APIS, 'container.googleapis.com'].sort();

const ID = 'GcpContext';

export class GcpContext extends Construct {
  /** Creates the stack's context (once, before any GCP construct). */
  static init(stack: TerraformStack, props: { readonly projectId: string; readonly region: string; readonly apis?: readonly string[] }): GcpContext {
    if (stack.node.tryFindChild(ID) !== undefined) throw new Error(`stack ${stack.node.id} already has a GCP context`);
    return new GcpContext(stack, ID, props);
  }

  static of(scope: Construct): GcpContext {
    const found = TerraformStack.of(scope).node.tryFindChild(ID);
    if (!(found instanceof GcpContext)) throw new Error(`${scope.node.path}: the stack has no GCP context (configureGcpStack first)`);
    return found;
  }

  readonly projectId: string;
  readonly region: string;
  /** The project's number (Terraform expression): service agents are named after it. */
  readonly projectNumber: string;
  /** The enabled APIs: everything that calls them waits for these. */
  readonly apis: readonly ITerraformDependable[];
  private storageAgent?: DataGoogleStorageProjectServiceAccount;

  private constructor(scope: Construct, id: string, props: { readonly projectId: string; readonly region: string; readonly apis?: readonly string[] }) {
    super(scope, id);
    this.projectId = props.projectId;
    this.region = props.region;
    this.projectNumber = new DataGoogleProject(this, 'Project', { projectId: props.projectId }).number;
    this.apis = (props.apis ?? CLOUD_RUN_TARGET_APIS).map(
      (api) => new ProjectService(this, `Api-${api.split('.')[0]}`, { project: props.projectId, service: api, disableOnDestroy: false, disableDependentServices: false }),
    );
  }

  /** `service-<number>@<domain>`: a Google-managed service agent of this project. */
  serviceAgent(domain: string): string {
    return `serviceAccount:service-${this.projectNumber}@${domain}`;
  }

  /** Cloud Storage's service agent (read through the API, which also creates it). */
  storageServiceAgent(): string {
    this.storageAgent ??= new DataGoogleStorageProjectServiceAccount(this, 'StorageAgent', { project: this.projectId, dependsOn: [...this.apis] });
    return `serviceAccount:${this.storageAgent.emailAddress}`;
  }

  /** `projects/<id>/locations/<region>`. */
  get location(): string {
    return `projects/${this.projectId}/locations/${this.region}`;
  }
}
