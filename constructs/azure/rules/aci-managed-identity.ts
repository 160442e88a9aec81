/** AZURE-ACI-3 (CKV2_AZURE_28): container groups use a managed identity, also to pull their images. */
import { block, blocks, isSet, readString } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const ACI_MANAGED_IDENTITY: Rule = {
  id: 'AZURE-ACI-3',
  title: 'Container groups have a managed identity and pull images with it',
  why: 'Without a managed identity a group needs credentials in its spec to pull its image or read its secrets; with one, Entra ID issues short-lived tokens that nothing stores.',
  fix: 'Set identity { type = "UserAssigned", identity_ids = [the runner identity] } and every image_registry_credential { user_assigned_identity_id = the same identity }.',
  publicIds: ['CKV2_AZURE_28'],
  appliesTo: ['azurerm_container_group'],
  check: (group) => {
    const findings: Finding[] = [];
    const identity = block(group.body.identity);
    const type = readString(identity?.type);
    if (identity === undefined || !(type.kind === 'literal' && /assigned/i.test(type.value))) findings.push({ key: 'identity', message: 'the group has no managed identity' });
    for (const c of blocks(group.body.image_registry_credential)) {
      if (!isSet(c.user_assigned_identity_id)) findings.push({ key: `image_registry_credential:${String(c.server)}`, message: `images from ${String(c.server)} are not pulled with a managed identity` });
    }
    return fromFindings(findings);
  },
};
