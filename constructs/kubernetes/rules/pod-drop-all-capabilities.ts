/** K8S-POD-4 (CKV_K8S_28, CKV_K8S_37): every container drops ALL capabilities and adds none. */
import { block, isExpression, show, strings, unprovable } from '../../core/rules/expressions';
import type { Rule } from '../../core/rules/rule';
import { judgeContainers, POD_WORKLOAD_TYPES, securityContext } from './support/pod-spec';

export const POD_DROP_ALL_CAPABILITIES: Rule = {
  id: 'K8S-POD-4',
  title: 'Containers drop ALL Linux capabilities and add none',
  why: 'The runtime\'s default capabilities include NET_RAW (spoofed packets, ARP poisoning of neighbours on the node) and CHOWN / SETUID / DAC_OVERRIDE, which a compromised run can use to tamper with mounted files or escalate.',
  fix: 'Set security_context.capabilities { drop = ["ALL"] } on every container and init container and remove capabilities.add.',
  publicIds: ['CKV_K8S_28', 'CKV_K8S_37'],
  appliesTo: POD_WORKLOAD_TYPES,
  check: (resource) =>
    judgeContainers(resource, (c) => {
      const caps = securityContext(c).capabilities;
      if (isExpression(caps)) return `: ${unprovable('security_context.capabilities', caps)}`;
      const b = block(caps) ?? {};
      if (isExpression(b.drop)) return `: ${unprovable('capabilities.drop', b.drop)}`;
      if (isExpression(b.add)) return `: ${unprovable('capabilities.add', b.add)}`;
      const problems: string[] = [];
      const drop = strings(b.drop);
      if (!drop.some((d) => d.toUpperCase() === 'ALL')) problems.push(drop.length === 0 ? 'drops no capability (keeps the runtime defaults, NET_RAW among them)' : `drops only ${show(drop)}, not ALL`);
      const add = strings(b.add);
      if (add.length > 0) problems.push(`adds ${show(add)}`);
      return problems.length === 0 ? undefined : problems.join(' and ');
    }),
};
