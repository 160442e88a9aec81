/**
 * The Kubernetes pack on the EKS example's workload stack (examples/aws-eks.yaml): applied beside
 * the AWS pack, every rule ran, nothing is open, and the acknowledged findings are
 * exactly the ones the runner workload carries by design, each with its reason.
 */
import type { TerraformStack } from 'cdktf';
import { RulePack, type RuleReport } from '../../../../constructs/core/rules/rule-pack';
import { KUBERNETES_RULES } from '../../../../constructs/kubernetes/rules';
import { exampleEksTarget, synthEks } from '../../../support/eks';

describe('Kubernetes rules on the EKS example workload stack', () => {
  let report: RuleReport;
  beforeAll(() => {
    // GIVEN the EKS example (one runner, egressExtraPorts [22]) WHEN its stacks are synthesized
    const { stacks } = synthEks(exampleEksTarget().config);
    const workload = stacks.find((s) => s.node.id === 'eksexample-workload') as TerraformStack;
    report = RulePack.reportOf(workload, 'kubernetes')!;
  });

  it('the workload stack applies every Kubernetes rule, and each judged at least one resource', () => {
    expect(report).toBeDefined();
    const ids = KUBERNETES_RULES.map((r) => r.id);
    expect(report.rules.map((r) => r.id)).toEqual(expect.arrayContaining(ids));
    for (const id of ids) expect({ id, judged: report.results.some((r) => r.ruleId === id && r.status !== 'not-applicable') }).toEqual({ id, judged: true });
  });

  it('THEN nothing is open, no acknowledgement is stale or invalid', () => {
    expect(report.open).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.unused).toEqual([]);
  });

  it('acknowledges only the controller API token, the image uid 2000, SSH (opted in) and the Pod Identity agent, with reasons', () => {
    const k8s = report.acknowledged.filter((f) => f.ruleId.startsWith('K8S-'));
    expect(k8s.map((f) => f.id).sort()).toEqual(['K8S-NET-2[Egress::tcp:22]', 'K8S-NET-2[Egress::tcp:80]', 'K8S-POD-3[Uid::2000]', 'K8S-POD-6[ServiceAccountToken]']);
    const by = (id: string) => k8s.find((f) => f.id === id)!;
    expect(by('K8S-POD-6[ServiceAccountToken]').address).toMatch(/^kubernetes_deployment_v1\.Workload_Controller-default_/);
    expect(by('K8S-POD-6[ServiceAccountToken]').reason).toMatch(/calls the Kubernetes API/);
    expect(by('K8S-POD-3[Uid::2000]').message).toMatch(/init container "compose-config", container "run-controller" run as uid 2000/);
    expect(by('K8S-NET-2[Egress::tcp:22]').reason).toMatch(/network\.egressExtraPorts/);
    expect(by('K8S-NET-2[Egress::tcp:80]').reason).toMatch(/^run-controller only, to 169\.254\.170\.23\/32: EKS Pod Identity agent/);
    for (const f of k8s) expect(f.address).not.toMatch(/network_policy/); // egress is judged per namespace
  });
});
