/**
 * A runner's cloud identity on EKS: an IAM role that EKS Pod Identity hands to the pods of one
 * ServiceAccount in one namespace of one cluster. It holds no permissions by default (the
 * controller itself calls no AWS API); grant what building blocks need to the per-run identities
 * instead.
 *
 * Trust: `pods.eks.amazonaws.com` (AssumeRole + TagSession, which Pod Identity requires), only for
 * this account and this cluster (confused-deputy guard). The role is a kit role: permissions
 * boundary, one-hour sessions, permissions declared inline.
 */
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { Permission } from '../core/permissions/permission';
import { AwsContext } from './aws-context';
import { relaxed } from './emulator-profile';
import { renderConditions, type IamPolicyDocument } from './iam-policy-document';
import { KitRole } from './service-role';
import type { IRunnerIdentity } from '../core/compositions/kubernetes-cluster';

export const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';
/** The Pod Identity agent's node-local endpoint (what the SDKs call for credentials). */
export const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', port: 80 } as const;

export function podIdentityTrust(accountId: string, clusterArn: string): IamPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TrustEksPodIdentityOfThisCluster',
        Effect: 'Allow',
        Principal: { Service: POD_IDENTITY_SERVICE },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: renderConditions([
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
          { test: 'ArnEquals', variable: 'aws:SourceArn', values: [clusterArn] },
        ]),
      },
    ],
  };
}

/** An IAM role assumed through EKS Pod Identity, with the kit's boundary. */
export class PodIdentityRole extends KitRole {
  constructor(scope: Construct, id: string, props: { name: string; description: string; clusterArn: string; permissions?: readonly Permission[] }) {
    super(scope, id, {
      name: props.name,
      description: props.description,
      assumedBy: 'service',
      trust: podIdentityTrust(AwsContext.of(scope).accountId, props.clusterArn),
      permissions: props.permissions,
    });
  }
}

export interface EksPodIdentityProps {
  /** Role name, e.g. `<target>-<runner>-runner`. */
  readonly roleName: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** @default - none: the identity exists but may call nothing */
  readonly permissions?: readonly Permission[];
  /** What the association must wait for (the Pod Identity agent add-on). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class EksPodIdentity extends Construct implements IRunnerIdentity {
  /** IRunnerIdentity: the role run-controller assumes. */
  get principal(): string {
    return this.roleArn;
  }
  readonly role: PodIdentityRole;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: EksPodIdentityProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.roleName) && !/^[\w+=,.@-]{1,64}$/.test(props.roleName)) {
      throw new Error(`roleName "${props.roleName}" is not an IAM role name: at most 64 letters, digits and +=,.@_- (shorten the target or runner name)`);
    }
    for (const [what, name] of [['namespace', props.namespace], ['serviceAccount', props.serviceAccount]] as const) {
      if (!Token.isUnresolved(name) && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) throw new Error(`${what} "${name}" is not a Kubernetes name (lowercase letters, digits, hyphens, dots)`);
    }
    this.role = new PodIdentityRole(this, 'Role', {
      name: props.roleName,
      description: `Cloud identity of ${props.namespace}/${props.serviceAccount} on EKS cluster ${props.clusterName}; no permissions by default`,
      clusterArn: props.clusterArn,
      permissions: props.permissions,
    });
    this.roleArn = this.role.roleArn;
    if (!relaxed(this, 'eks-no-pod-identity-association')) {
      new EksPodIdentityAssociation(this, 'Resource', {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.roleArn,
        dependsOn: [...(props.dependsOn ?? [])],
      });
    }
  }
}
