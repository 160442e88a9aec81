/** GCP-AR-2 (kit-only, after CKV_AWS_51): the mirror's tags are immutable. */
import { block, readBoolean } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const REGISTRY_IMMUTABLE_TAGS: Rule = {
  id: 'GCP-AR-2',
  title: 'Docker repositories have immutable tags',
  why: 'A release tag that can be moved can be pointed at other bytes after review; promotion relies on tags meaning one digest forever.',
  fix: 'Set docker_config { immutable_tags = true }.',
  publicIds: [],
  appliesTo: ['google_artifact_registry_repository'],
  check: (r) => {
    const v = readBoolean(block(r.body.docker_config)?.immutable_tags);
    return v.kind === 'literal' && v.value ? compliant() : nonCompliant('docker_config.immutable_tags is not true');
  },
};
