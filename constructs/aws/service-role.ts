/**
 * An IAM role that one AWS service assumes on the kit's behalf (ECS tasks, VPC flow logs, Lambda).
 * The trust policy names the service and pins the calling account (confused-deputy guard); the
 * permissions are the construct's declared `Permission`s, rendered as one inline policy so the
 * role carries exactly what is listed and nothing attached from elsewhere.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { Permission, PermissionCondition } from '../core/permissions/permission';
import { AwsContext } from './aws-context';
import { policyDocument, serviceTrustDocument, toJson } from './iam-policy-document';

export interface ServiceRoleProps {
  /** Role name (unique in the account). */
  readonly name: string;
  readonly description: string;
  /** Service principal, e.g. `ecs-tasks.amazonaws.com`. */
  readonly service: string;
  /**
   * Extra trust conditions, e.g. `aws:SourceArn`.
   * @default - only `aws:SourceAccount` = this account
   */
  readonly trustConditions?: readonly PermissionCondition[];
  /**
   * Permissions of the role, fixed at construction so what is rendered is what was declared.
   * @default - none: the role can be assumed but may call nothing
   */
  readonly permissions?: readonly Permission[];
}

export class ServiceRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly service: string;
  /** The permissions this role holds, for auditors' files and verification. */
  readonly permissions: readonly Permission[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const ctx = AwsContext.of(this);
    this.service = props.service;
    this.permissions = [...(props.permissions ?? [])];
    const trust = serviceTrustDocument(props.service, [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ctx.accountId] },
      ...(props.trustConditions ?? []),
    ]);
    const role = new IamRole(this, 'Resource', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: toJson(trust),
      maxSessionDuration: 3600,
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
    // A role without permissions gets no policy resource (an empty policy document is invalid).
    if (this.permissions.length > 0) {
      new IamRolePolicy(this, 'Permissions', { role: role.name, name: 'permissions', policy: toJson(policyDocument(this.permissions)) });
    }
  }
}
