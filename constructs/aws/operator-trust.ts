/**
 * The trust policy of the meshcloud operator role (`OperatorAccess`): who may assume it, with the
 * agreed external id and the optional principal-ARN and source-identity patterns.
 *
 * Pure (no cdktf: the partition is a literal derived from the region), so config validation builds
 * the very same document to check IAM's limit on trust policy size before anything is synthesized
 * (`constructs/core/config/aws-limits.ts`).
 */
import { partitionOf } from './permissions/literal-arns';
import type { PermissionCondition } from '../core/permissions/permission';
import { principalTrustStatement, trustDocument, type IamPolicyDocument } from './iam-policy-document';

/** STS actions of the trust policy, and the statement ids. */
export const ASSUME_ROLE = 'sts:AssumeRole';
export const SET_SOURCE_IDENTITY = 'sts:SetSourceIdentity';
export const ASSUME_ROLE_SID = 'MeshcloudOperatorsWithExternalId';
export const SET_SOURCE_IDENTITY_SID = 'MeshcloudOperatorsSetSourceIdentity';

export interface OperatorTrustSettings {
  /** 12-digit account ids (trusting that account's IAM) or IAM role/user ARNs. */
  readonly principals: readonly string[];
  readonly externalId: string;
  readonly principalArnPatterns?: readonly string[];
  readonly sourceIdentityPatterns?: readonly string[];
}

function like(variable: string, patterns: readonly string[]): PermissionCondition[] {
  return patterns.length > 0 ? [{ test: 'StringLike', variable, values: [...patterns] }] : [];
}

/** The trust document, the principal ARNs it names, and whether it requires a source identity. */
export function operatorTrust(settings: OperatorTrustSettings, region: string): { document: IamPolicyDocument; principals: string[]; requiresSourceIdentity: boolean } {
  // Literal partition (from the region): meshcloud's accounts share the customer's partition, and
  // plain ARNs keep the trust readable and its rule findings addressable.
  const partition = partitionOf(region);
  const principals = settings.principals.map((p) => (/^\d{12}$/.test(p) ? `arn:${partition}:iam::${p}:root` : p));
  const sourceIdentity = like('sts:SourceIdentity', settings.sourceIdentityPatterns ?? []);
  const principalArn = like('aws:PrincipalArn', settings.principalArnPatterns ?? []);
  const document = trustDocument([
    principalTrustStatement(ASSUME_ROLE_SID, principals, [ASSUME_ROLE], [
      { test: 'StringEquals', variable: 'sts:ExternalId', values: [settings.externalId] },
      ...principalArn,
      ...sourceIdentity,
    ]),
    ...(sourceIdentity.length > 0 ? [principalTrustStatement(SET_SOURCE_IDENTITY_SID, principals, [SET_SOURCE_IDENTITY], [...principalArn, ...sourceIdentity])] : []),
  ]);
  return { document, principals, requiresSourceIdentity: sourceIdentity.length > 0 };
}
