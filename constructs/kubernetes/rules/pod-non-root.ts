/**
 * K8S-POD-3 (CKV_K8S_23, CKV_K8S_40): every container runs as non-root, with a uid of at least
 * 10000. Two findings, so that accepting a known image uid never hides a root container:
 * `Container::<name>` (may run as root) and `Uid::<uid>` (the containers running as that uid
 * below 10000; `Uid::unset` when the image decides).
 */
import { readBoolean, readNumber, show, unprovable } from '../../core/rules/expressions';
import { fromFindings, nonCompliant, type Finding, type Rule } from '../../core/rules/rule';
import { containerKey, describeContainer, effectiveSetting, podOf, POD_WORKLOAD_TYPES } from './support/pod-spec';

/** Checkov's threshold: uids below it may coincide with users of the node. */
export const MIN_HIGH_UID = 10000;

export const POD_NON_ROOT: Rule = {
  id: 'K8S-POD-3',
  title: 'Containers run as non-root with a high uid (>= 10000)',
  why: 'Root in a container is root on the node once any isolation layer fails; a low uid may coincide with a user of the node and own its files across a container escape.',
  fix: 'Set run_as_non_root: true and run_as_user >= 10000 in the pod or container security_context. If the image only works as a given lower uid, acknowledge Uid::<uid> naming the image.',
  publicIds: ['CKV_K8S_23', 'CKV_K8S_40'],
  appliesTo: POD_WORKLOAD_TYPES,
  check: (resource) => {
    const read = podOf(resource);
    if (!read.ok) return nonCompliant(read.problem);
    const findings: Finding[] = [];
    const lowUid = new Map<string, { readonly what: string; readonly containers: string[] }>();
    for (const c of read.containers) {
      const nonRoot = readBoolean(effectiveSetting(c, read.pod, 'run_as_non_root').value);
      const uidSetting = effectiveSetting(c, read.pod, 'run_as_user');
      const uid = readNumber(uidSetting.value);
      const provenNonRoot = (nonRoot.kind === 'literal' && nonRoot.value) || (uid.kind === 'literal' && uid.value > 0);
      if (!provenNonRoot) {
        const why =
          nonRoot.kind === 'expression' ? unprovable('run_as_non_root', nonRoot.text)
            : uid.kind === 'literal' ? 'runs as uid 0 (root)'
              : `has run_as_non_root ${nonRoot.kind === 'absent' ? 'unset' : show(nonRoot.value)} in container and pod security_context, so the image may run it as root`;
        findings.push({ key: containerKey(c), message: `${describeContainer(c)} ${why}` });
      }
      if (uid.kind === 'literal' && uid.value >= MIN_HIGH_UID) continue;
      const [key, what] =
        uid.kind === 'literal' ? [`Uid::${uid.value}`, `run as uid ${uid.value}, below ${MIN_HIGH_UID}`]
          : uid.kind === 'expression' ? ['Uid::expression', `have ${unprovable('run_as_user', uid.text)}`]
            : uid.kind === 'absent' ? ['Uid::unset', 'leave run_as_user unset, so the image decides the uid']
              : ['Uid::invalid', `have run_as_user ${show(uid.value)}, not a number`];
      const entry = lowUid.get(key) ?? { what, containers: [] };
      entry.containers.push(describeContainer(c));
      lowUid.set(key, entry);
    }
    for (const [key, e] of lowUid) findings.push({ key, message: `${e.containers.join(', ')} ${e.what}` });
    return fromFindings(findings);
  },
};
