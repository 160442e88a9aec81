/**
 * The roles the kit creates, and the one most of them are: a role that one AWS service assumes on
 * the kit's behalf (ECS tasks, VPC flow logs, Lambda, EventBridge Scheduler).
 *
 * Every kit role (`KitRole`):
 * - carries the stack's permissions boundary (`PermissionsBoundary.of(stack)`, created on first use),
 *   so no role can ever exceed the union of what the kit's roles declare, nor perform the actions the
 *   boundary denies;
 * - holds exactly its declared `Permission`s, as one inline policy (nothing attached from elsewhere),
 *   rendered at synthesis: `addPermissions()` works until then (e.g. `updates.grantInvoke(role)`),
 *   and throws afterwards instead of being silently lost;
 * - has a maximum session of one hour.
 *
 * `ServiceRole`'s trust policy names the service and pins the calling account (confused-deputy guard).
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Lazy, TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { assertValidPermissions, type Permission, type PermissionCondition } from '../core/permissions/permission';
import { AwsContext } from './aws-context';
import { policyDocument, serviceTrustDocument, toJson, type IamPolicyDocument } from './iam-policy-document';
import { PermissionsBoundary } from './permissions-boundary';

/** Longest session any kit role allows (seconds): one hour. */
export const MAX_SESSION_SECONDS = 3600;

/** Who assumes a role: an AWS service on the kit's behalf, or people (meshcloud operators). */
export type RoleAssumedBy = 'service' | 'people';

export interface KitRoleProps {
  /** Role name (unique in the account). */
  readonly name: string;
  readonly description: string;
  /** The trust policy (who may assume the role, on which conditions). */
  readonly trust: IamPolicyDocument;
  readonly assumedBy: RoleAssumedBy;
  /**
   * Permissions of the role; more can be added with `addPermissions()` until synthesis.
   * @default - none: the role can be assumed but may call nothing
   */
  readonly permissions?: readonly Permission[];
}

const KIT_ROLE = Symbol.for('private-runner-kit.KitRole');

/** Base of every IAM role the kit creates: boundary, inline policy rendered at synthesis, one-hour sessions. */
export abstract class KitRole extends Construct {
  /** True for every role the kit creates (works across copies of this module). */
  static isKitRole(x: unknown): x is KitRole {
    return x !== null && typeof x === 'object' && KIT_ROLE in x;
  }

  /** Every kit role in the stack of `scope`, in construct-tree order. */
  static allIn(scope: IConstruct): KitRole[] {
    return TerraformStack.of(scope).node.findAll().filter(KitRole.isKitRole);
  }

  readonly roleArn: string;
  readonly roleName: string;
  /** The name as declared (a plain string), for auditor files and error messages. */
  readonly declaredName: string;
  readonly assumedBy: RoleAssumedBy;
  /** The trust policy as declared (values may be tokens). */
  readonly trust: IamPolicyDocument;
  readonly boundary: PermissionsBoundary;
  private readonly declared: Permission[] = [];
  private readonly role: IamRole;
  private rendered = false;

  protected constructor(scope: Construct, id: string, props: KitRoleProps) {
    super(scope, id);
    Object.defineProperty(this, KIT_ROLE, { value: true });
    this.declaredName = props.name;
    this.assumedBy = props.assumedBy;
    this.trust = props.trust;
    this.boundary = PermissionsBoundary.of(this);
    this.role = new IamRole(this, 'Resource', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: toJson(props.trust),
      maxSessionDuration: MAX_SESSION_SECONDS,
      permissionsBoundary: this.boundary.policyArn,
    });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.boundary.bound(this);
    if (props.permissions && props.permissions.length > 0) this.addPermissions(...props.permissions);
  }

  /** The permissions this role holds (a copy), for the boundary, auditors' files and verification. */
  get permissions(): readonly Permission[] {
    return [...this.declared];
  }

  /**
   * Adds permissions to the role's inline policy. Works until synthesis renders the policy; throws
   * afterwards, on a statement id already used, and on an invalid permission (see `permissionProblems`).
   */
  addPermissions(...permissions: Permission[]): void {
    if (permissions.length === 0) return;
    this.assertOpen(`addPermissions(${permissions.map((p) => p.sid).join(', ')})`);
    if (permissions.some((p) => (p.effect ?? 'Allow') !== 'Allow')) {
      throw new Error(`${this.node.path}: a role's own policy only grants; denials belong in the permissions boundary`);
    }
    assertValidPermissions(`role ${this.declaredName}`, [...this.declared, ...permissions]);
    // A role without permissions gets no policy resource (an empty policy document is invalid).
    if (this.declared.length === 0) {
      new IamRolePolicy(this, 'Permissions', {
        role: this.role.name,
        name: 'permissions',
        policy: Lazy.stringValue({
          produce: () => {
            this.rendered = true;
            return toJson(policyDocument(this.declared));
          },
        }),
      });
    }
    this.declared.push(...permissions);
  }

  /** Called by the boundary when it renders: later additions would escape it. */
  markRendered(): void {
    this.rendered = true;
  }

  /** Throws when synthesis already rendered the role's policy or its boundary (`what` was too late). */
  protected assertOpen(what: string): void {
    if (this.rendered) throw new Error(`${this.node.path}: ${what} after synthesis rendered the role's policy: change permissions before app.synth()`);
  }
}

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
   * Permissions of the role; more can be added with `addPermissions()` until synthesis.
   * @default - none: the role can be assumed but may call nothing
   */
  readonly permissions?: readonly Permission[];
}

/** An IAM role one AWS service assumes on the kit's behalf, pinned to this account. */
export class ServiceRole extends KitRole {
  readonly service: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    const ctx = AwsContext.of(scope);
    super(scope, id, {
      name: props.name,
      description: props.description,
      assumedBy: 'service',
      trust: serviceTrustDocument(props.service, [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ctx.accountId] },
        ...(props.trustConditions ?? []),
      ]),
      permissions: props.permissions,
    });
    this.service = props.service;
  }
}
