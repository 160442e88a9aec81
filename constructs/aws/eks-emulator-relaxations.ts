/**
 * What the EKS constructs leave out or relax when a target runs against the AWS API emulator
 * (moto 5.2.1; see reference/aws-emulator.md). Kept as data, each with its reason, so the single
 * emulator profile (`emulator-profile.ts`) can list and print them. Production synthesis never
 * changes: these apply only when a construct is given them through its `emulatorRelaxations`
 * prop, which the EKS cluster stack does only when `aws.endpoint` is set.
 */
import type { Relaxation } from './emulator-profile';

export const EKS_EMULATOR_RELAXATIONS = [
  {
    id: 'eks-no-access-entries',
    what: 'no aws_eks_access_entry / aws_eks_access_policy_association (deployer, updater, operators)',
    why: 'moto 5.2.1 has no EKS access-entry API (CreateAccessEntry, AssociateAccessPolicy)',
  },
  {
    id: 'eks-no-pod-identity-association',
    what: "no aws_eks_pod_identity_association for the runners' identity (the role itself is still created)",
    why: 'moto 5.2.1 has no EKS Pod Identity API',
  },
  {
    id: 'eks-no-addons',
    what: 'no aws_eks_addon (vpc-cni with network policy enforcement, eks-pod-identity-agent)',
    why: 'moto 5.2.1 has no EKS add-on API',
  },
  {
    id: 'eks-cluster-ignore-access-config',
    what: 'aws_eks_cluster ignores changes to access_config',
    why: 'moto does not return access_config, so every re-plan would replace the cluster',
  },
  {
    id: 'eks-node-group-ignore-drift',
    what: 'aws_eks_node_group ignores changes to remote_access and update_config',
    why: 'moto adds a remote_access block (forcing replacement) and drops update_config',
  },
  {
    id: 'eks-launch-template-ignore-tag-drift',
    what: 'the node launch template ignores changes to tag_specifications',
    why: "moto echoes the provider's default tags back as a launch-template tag specification, which AWS does not accept there",
  },
  {
    id: 'eks-no-updater-api-rule',
    what: "no ingress rule for the updater on the EKS cluster security group (the updater's own security group is still created)",
    why: 'moto returns no cluster security group id for an EKS cluster, so the rule has nothing to attach to',
  },
] as const satisfies readonly Relaxation[];

export type EksEmulatorRelaxation = (typeof EKS_EMULATOR_RELAXATIONS)[number]['id'];

/** Every EKS relaxation: what the EKS stacks pass when `aws.endpoint` is set. */
export const ALL_EKS_EMULATOR_RELAXATIONS: readonly EksEmulatorRelaxation[] = EKS_EMULATOR_RELAXATIONS.map((r) => r.id);

export function relaxed(relaxations: readonly EksEmulatorRelaxation[] | undefined, id: EksEmulatorRelaxation): boolean {
  return (relaxations ?? []).includes(id);
}
