/**
 * The AWS check pack on the real AWS ECS stack (examples/aws-ecs.yaml): applied by the stack,
 * passed by the example, and failing synthesis with a precise message when a construct regresses.
 */
import { TerraformStack, Testing } from 'cdktf';
import { AWS_RULES } from '../../../../constructs/aws/rules';
import { RulePack, type RuleReport } from '../../../../constructs/core/rules/rule-pack';
import { MIN_REASON_LENGTH } from '../../../../constructs/core/rules/acknowledgement';
import { addTargetStacks } from '../../../../stacks/targets';
import { exampleTarget } from '../../../support/synth';

describe('AWS check pack on examples/aws-ecs.yaml', () => {
  let stack: TerraformStack;
  let report: RuleReport;
  beforeAll(() => {
    stack = addTargetStacks(Testing.app(), exampleTarget().config)[0]!;
    Testing.synth(stack); // throws on any open finding
    report = RulePack.reportOf(stack, 'aws')!;
  });

  it('the stack applies the AWS pack, and only it, with every AWS rule', () => {
    expect(RulePack.packsOf(stack).map((p) => [p.name, p.rules.map((r) => r.id)])).toEqual([['aws', AWS_RULES.map((r) => r.id)]]);
  });

  it('has no open findings and no invalid acknowledgements', () => {
    expect(report.open).toEqual([]);
    expect(report.problems).toEqual([]);
  });

  it('judges the resources an ECS target consists of', () => {
    const judged = new Set(report.results.filter((r) => r.status !== 'not-applicable').map((r) => r.ruleId));
    for (const id of ['AWS-VPC-1', 'AWS-VPC-2', 'AWS-VPC-3', 'AWS-SG-1', 'AWS-SG-2', 'AWS-SG-3', 'AWS-ECS-1', 'AWS-ECS-2', 'AWS-ECS-3', 'AWS-ECS-4', 'AWS-ECS-5', 'AWS-ECS-6', 'AWS-KMS-1', 'AWS-KMS-2', 'AWS-LOG-1', 'AWS-LOG-2', 'AWS-SM-1', 'AWS-IAM-1', 'AWS-IAM-6', 'AWS-IAM-8']) {
      expect({ id, judged: judged.has(id) }).toEqual({ id, judged: true });
    }
  });

  it('every acknowledged finding carries a reason of at least 10 characters and one finding id', () => {
    for (const f of report.acknowledged) {
      expect(f.reason.trim().length).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
      expect(f.id).toBe(`${f.ruleId}[${f.key}]`);
    }
  });

  it('GIVEN a construct regresses (Container Insights off through an escape hatch) THEN synthesis fails naming rule, resource, construct and fix', () => {
    const broken = addTargetStacks(Testing.app(), exampleTarget().config)[0]!;
    const cluster = broken.node.findChild('Platform').node.findChild('Resource') as unknown as { addOverride(path: string, value: unknown): void };
    cluster.addOverride('setting', [{ name: 'containerInsights', value: 'disabled' }]);
    expect(() => Testing.synth(broken)).toThrow(
      /AWS-ECS-6\[aws_ecs_cluster\.Platform_[0-9A-F]{8}\] on aws_ecs_cluster\.Platform_[0-9A-F]{8} \(construct ecsexample\/Platform\/Resource\)[\s\S]*found: setting containerInsights is "disabled"[\s\S]*fix: {3}Add setting \{ name = "containerInsights"/,
    );
  });
});
