/**
 * AZURE-IAM-3 (kit-only; the Azure escalation paths of the kit's security reference): no principal
 * holds, through the stack's custom roles, an operation that hands out more rights than it has:
 * role assignment or definition writes, exec into a container, cluster admin credentials; nor
 * assigning a managed identity together with writing compute that runs as it (the Azure twin of
 * iam:PassRole with a compute write). The finding is on the role that holds the operation.
 */
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { grantOf, operationsOfHolders } from './support/roles';

/** Operations that escalate by themselves. */
export const ESCALATING_OPERATIONS = [
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.Authorization/roleDefinitions/write',
  'Microsoft.ContainerInstance/containerGroups/containers/exec/action',
  'Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action',
  'Microsoft.KeyVault/vaults/write',
] as const;
export const ASSIGN_IDENTITY = 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action';
/** Compute writes that run as an identity the writer names. */
export const COMPUTE_WRITES = [
  'Microsoft.ContainerInstance/containerGroups/write',
  'Microsoft.App/jobs/write',
  'Microsoft.App/containerApps/write',
  'Microsoft.Web/sites/write',
  'Microsoft.Compute/virtualMachines/write',
] as const;

export const ROLE_NO_ESCALATION: Rule = {
  id: 'AZURE-IAM-3',
  title: 'No custom role grants an escalation path (role writes, exec, admin credentials, identity assign with compute write)',
  why: 'Each of these lets the holder act with more rights than the role states: assign itself roles, run commands inside a runner (its secrets in memory), or start compute as an identity it may assign.',
  fix: 'Leave the operation out. The updater legitimately assigns its runners\' identities when it re-PUTs their groups: scope that to those identities and groups only, and acknowledge the finding with that reason.',
  publicIds: [],
  appliesTo: ['azurerm_role_definition'],
  check: (definition, config) => {
    const own = new Set([...grantOf(definition).actions, ...grantOf(definition).dataActions].map((a) => a.toLowerCase()));
    const findings: Finding[] = [];
    for (const op of ESCALATING_OPERATIONS) if (own.has(op.toLowerCase())) findings.push({ key: `Action::${op}`, message: `the role grants ${op}` });
    if (own.has(ASSIGN_IDENTITY.toLowerCase())) {
      const held = operationsOfHolders(definition, config);
      for (const write of COMPUTE_WRITES) {
        if (held.has(write.toLowerCase()) || own.has(write.toLowerCase())) {
          findings.push({ key: `Escalation::${ASSIGN_IDENTITY}+${write}`, message: `holders of this role may assign a managed identity and also ${write}: they can start compute as that identity` });
        }
      }
    }
    return fromFindings(findings);
  },
};
