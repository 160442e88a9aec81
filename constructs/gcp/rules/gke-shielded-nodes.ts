/** GCP-GKE-4 (CKV_GCP_71, CKV_GCP_68, CKV_GCP_72): Shielded nodes with secure boot and integrity monitoring (Autopilot: always). */
import { block } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const GKE_SHIELDED_NODES: Rule = {
  id: 'GCP-GKE-4',
  title: 'GKE nodes are Shielded VMs with secure boot and integrity monitoring',
  why: 'Shielded nodes prove their boot chain and identity to the control plane; without them a compromised node can impersonate another and boot-level rootkits go unnoticed.',
  fix: 'Use Autopilot (enable_autopilot = true, where Google enforces all three), or set enable_shielded_nodes and node_config.shielded_instance_config { enable_secure_boot, enable_integrity_monitoring }.',
  publicIds: ['CKV_GCP_71', 'CKV_GCP_68', 'CKV_GCP_72'],
  appliesTo: ['google_container_cluster'],
  check: (c) => {
    if (c.body.enable_autopilot === true) return fromFindings([]);
    const findings: Finding[] = [];
    if (c.body.enable_shielded_nodes === false) findings.push({ key: 'ShieldedNodes', message: 'enable_shielded_nodes is false' });
    const s = block(block(c.body.node_config)?.shielded_instance_config);
    if (s?.enable_secure_boot !== true) findings.push({ key: 'SecureBoot', message: 'node_config.shielded_instance_config.enable_secure_boot is not true' });
    if (s?.enable_integrity_monitoring === false) findings.push({ key: 'IntegrityMonitoring', message: 'node_config.shielded_instance_config.enable_integrity_monitoring is false' });
    return fromFindings(findings);
  },
};
