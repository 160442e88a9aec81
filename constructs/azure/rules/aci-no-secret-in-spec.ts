/**
 * AZURE-ACI-2 (CKV_AZURE_235, stricter): no secret value in a container group's spec. ACI's
 * "secure" environment variables and secret volumes are written into the group's ARM spec and into
 * Terraform state; so are registry passwords, storage account keys and the workspace key.
 */
import { blocks, isSet } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const ACI_NO_SECRET_IN_SPEC: Rule = {
  id: 'AZURE-ACI-2',
  title: 'No secret value in a container group (no secure environment variables, secret volumes, passwords or keys)',
  why: 'ACI keeps secure environment variables, secret volumes, registry passwords and storage keys in the group\'s ARM spec, and Terraform keeps them in its state and plan: anyone who can read either reads the runner\'s secrets.',
  fix: 'Read secrets at start with the group\'s managed identity (an init container writing to an emptyDir), pull images with the identity (image_registry_credential.user_assigned_identity_id), and leave diagnostics to the updater.',
  publicIds: ['CKV_AZURE_235'],
  appliesTo: ['azurerm_container_group'],
  check: (group) => {
    const findings: Finding[] = [];
    for (const [kind, list] of [['container', blocks(group.body.container)], ['init_container', blocks(group.body.init_container)]] as const) {
      for (const c of list) {
        const name = String(c.name ?? '?');
        if (isSet(c.secure_environment_variables)) findings.push({ key: `${kind}:${name}:secure_environment_variables`, message: `${kind} ${name} sets secure_environment_variables, which land in state and in the ARM spec` });
        for (const v of blocks(c.volume)) {
          if (isSet(v.secret)) findings.push({ key: `${kind}:${name}:volume:${String(v.name)}`, message: `${kind} ${name} mounts secret volume ${String(v.name)}, whose content lands in state and in the ARM spec` });
          if (isSet(v.storage_account_key)) findings.push({ key: `${kind}:${name}:volume:${String(v.name)}:key`, message: `${kind} ${name} mounts a file share with its storage account key` });
        }
      }
    }
    for (const c of blocks(group.body.image_registry_credential)) {
      if (isSet(c.password)) findings.push({ key: `image_registry_credential:${String(c.server)}`, message: `image_registry_credential for ${String(c.server)} uses a password instead of a managed identity` });
    }
    for (const d of blocks(group.body.diagnostics)) for (const la of blocks(d.log_analytics)) if (isSet(la.workspace_key)) findings.push({ key: 'diagnostics.log_analytics.workspace_key', message: 'diagnostics.log_analytics.workspace_key puts the workspace key into state' });
    return fromFindings(findings);
  },
};
