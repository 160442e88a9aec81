/**
 * Who may use the runner cluster's Kubernetes API, as EKS access entries (authentication mode
 * API; no aws-auth ConfigMap):
 *
 * - the deployer (the principal running `cdktf deploy`, or a named one): cluster admin through
 *   AmazonEKSClusterAdminPolicy, because the workload stack creates the namespace and its RBAC;
 * - the updater: the Kubernetes group `private-runner-kit:updater`, which the workload stack binds
 *   to a namespaced Role that may roll the controller Deployment to a new digest, nothing else;
 * - meshcloud operators: the group `private-runner-kit:operators`, bound in the workload stack to
 *   a namespaced read-only Role (pods, logs, events, jobs; no secrets, no exec).
 *
 * Groups + namespaced Roles rather than AmazonEKSViewPolicy / AmazonEKSEditPolicy: the AWS policies
 * are Kubernetes' `view` / `edit` roles (edit reads and writes Secrets, view lists far more than
 * diagnostics need), while the kit's Roles list exactly the verbs needed, live in the kit's code
 * for auditors, and are the same on AKS and GKE. Principals need `eks:DescribeCluster` in IAM to
 * build a kubeconfig; that belongs to their IAM role, not to the cluster.
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { OPERATORS_GROUP, UPDATER_GROUP } from '../kubernetes/labels';
import { AwsContext } from './aws-context';
import { relaxed } from './emulator-profile';

export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

/** An IAM role or user ARN (access entries take no assumed-role session ARNs). */
const PRINCIPAL_ARN_RE = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

export interface EksAccessProps {
  readonly clusterName: string;
  /**
   * The deployer's IAM role or user ARN.
   * @default - whoever runs the deploy (the IAM role behind the current session)
   */
  readonly deployerPrincipalArn?: string;
  /** @default - no updater access (the updater is wired when it exists) */
  readonly updaterRoleArn?: string;
  /** @default [] - no operator access */
  readonly operatorRoleArns?: readonly string[];
  /** @default UPDATER_GROUP */
  readonly updaterGroup?: string;
  /** @default OPERATORS_GROUP */
  readonly operatorsGroup?: string;
}

export class EksAccess extends Construct {
  /** The deployer principal ARN (a reference when derived from the session). */
  readonly deployerPrincipalArn: string;
  readonly updaterGroup: string;
  readonly operatorsGroup: string;
  /** Access entries by role in the kit, for dependsOn (empty when relaxed for the emulator). */
  readonly entries: readonly EksAccessEntry[];

  constructor(scope: Construct, id: string, props: EksAccessProps) {
    super(scope, id);
    const ctx = AwsContext.of(this);
    const operators = props.operatorRoleArns ?? [];
    for (const [what, arn] of [
      ['deployerPrincipalArn', props.deployerPrincipalArn],
      ['updaterRoleArn', props.updaterRoleArn],
      ...operators.map((a, i) => [`operatorRoleArns[${i}]`, a] as const),
    ] as const) {
      if (arn !== undefined && !Token.isUnresolved(arn) && !PRINCIPAL_ARN_RE.test(arn)) {
        throw new Error(`${what} "${arn}" is not an IAM role or user ARN: use arn:aws:iam::<account>:role/<name> (access entries take no assumed-role session ARNs)`);
      }
    }
    if (new Set(operators).size !== operators.length) throw new Error(`operatorRoleArns lists a role twice: ${operators.join(', ')}`);
    this.updaterGroup = props.updaterGroup ?? UPDATER_GROUP;
    this.operatorsGroup = props.operatorsGroup ?? OPERATORS_GROUP;
    for (const g of [this.updaterGroup, this.operatorsGroup]) {
      if (g.startsWith('system:')) throw new Error(`Kubernetes group "${g}" cannot be used: system: groups belong to Kubernetes; use e.g. "${OPERATORS_GROUP}"`);
    }

    if (props.deployerPrincipalArn !== undefined) {
      this.deployerPrincipalArn = props.deployerPrincipalArn;
    } else {
      const caller = new DataAwsCallerIdentity(this, 'Caller');
      // An assumed-role session ARN is not an access-entry principal; its issuer (the role) is.
      this.deployerPrincipalArn = new DataAwsIamSessionContext(this, 'DeployerSession', { arn: caller.arn }).issuerArn;
    }

    const entries: EksAccessEntry[] = [];
    if (!relaxed(this, 'eks-no-access-entries')) {
      const deployer = new EksAccessEntry(this, 'Deployer', { clusterName: props.clusterName, principalArn: this.deployerPrincipalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, 'DeployerClusterAdmin', {
        clusterName: props.clusterName,
        principalArn: deployer.principalArn,
        policyArn: `arn:${ctx.partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
        accessScope: { type: 'cluster' },
      });
      entries.push(deployer);
      if (props.updaterRoleArn !== undefined) {
        entries.push(new EksAccessEntry(this, 'Updater', { clusterName: props.clusterName, principalArn: props.updaterRoleArn, type: 'STANDARD', kubernetesGroups: [this.updaterGroup] }));
      }
      operators.forEach((arn, i) =>
        entries.push(new EksAccessEntry(this, `Operator${i + 1}`, { clusterName: props.clusterName, principalArn: arn, type: 'STANDARD', kubernetesGroups: [this.operatorsGroup] })),
      );
    }
    this.entries = entries;
  }
}
