/**
 * AWS-IAM-5 (CKV_AWS_287, stricter): no principal holds actions that return credentials, except
 * `ecr:GetAuthorizationToken` on an ECS task execution role (it pulls the image).
 */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { grants, isReferencedAs } from './support/policy';
import { grantedStatements, PRINCIPAL_RULE_TYPES } from './support/principals';

/** Cloudsplaining's credentials-exposure actions. */
export const CREDENTIAL_ACTIONS: readonly string[] = [
  'chime:CreateApiKey', 'codepipeline:PollForJobs', 'cognito-identity:GetOpenIdToken', 'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
  'cognito-identity:GetCredentialsForIdentity', 'connect:GetFederationToken', 'connect:GetFederationTokens', 'ec2:GetPasswordData',
  'ecr:GetAuthorizationToken', 'gamelift:RequestUploadCredentials', 'iam:CreateAccessKey', 'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential', 'iam:ResetServiceSpecificCredential', 'iam:UpdateAccessKey', 'lightsail:GetInstanceAccessDetails',
  'lightsail:GetRelationalDatabaseMasterUserPassword', 'rds-db:Connect', 'redshift:GetClusterCredentials', 'sso:GetRoleCredentials',
  'mediapackage:RotateChannelCredentials', 'mediapackage:RotateIngestEndpointCredentials', 'sts:AssumeRole', 'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity', 'sts:GetFederationToken', 'sts:GetSessionToken',
];

export const IAM_NO_CREDENTIALS_EXPOSURE: Rule = {
  id: 'AWS-IAM-5',
  title: 'No credential-returning actions (ecr:GetAuthorizationToken only on an ECS execution role)',
  why: 'These actions hand out credentials (tokens, keys, passwords, other roles\' sessions) that work outside the kit\'s controls and outlive the call that obtained them.',
  fix: 'Remove the action. If a component needs it (e.g. a registry login token to push into the mirror), acknowledge the finding on that role with what the credential can reach.',
  publicIds: ['CKV_AWS_287'],
  appliesTo: PRINCIPAL_RULE_TYPES,
  check: (resource, config) => {
    const statements = grantedStatements(resource, config);
    if (!Array.isArray(statements)) return statements;
    const executionRole = resource.type === 'aws_iam_role' && isReferencedAs(resource, config, 'aws_ecs_task_definition', 'execution_role_arn', ['arn']);
    return fromFindings(
      CREDENTIAL_ACTIONS.filter((a) => statements.some((s) => grants(s, a)))
        .filter((a) => !(executionRole && a === 'ecr:GetAuthorizationToken'))
        .map((a) => ({ key: `Action::${a}`, message: `${resource.type === 'aws_iam_policy' ? 'the policy allows' : 'the principal\'s policies allow'} ${a}` })),
    );
  },
};
