/**
 * Per-stack AWS facts every construct needs (account, partition, region), looked up once per stack
 * like `Stack.of(this).account` in AWS CDK. Account and partition are Terraform data sources, so
 * they resolve at plan time in the deployed account.
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

const CONTEXT = Symbol.for('private-runner-kit.AwsContext');

export class AwsContext {
  /** Creates the context of a stack; call once, in the stack, before any AWS construct. */
  static init(stack: TerraformStack, region: string): AwsContext {
    const ctx = new AwsContext(stack, region);
    (stack as unknown as Record<symbol, AwsContext>)[CONTEXT] = ctx;
    return ctx;
  }

  static of(scope: Construct): AwsContext {
    const stack = TerraformStack.of(scope);
    const ctx = (stack as unknown as Record<symbol, AwsContext | undefined>)[CONTEXT];
    if (!ctx) throw new Error(`AwsContext.init() was not called for stack ${stack.node.id}`);
    return ctx;
  }

  readonly accountId: string;
  readonly partition: string;

  private constructor(
    stack: TerraformStack,
    readonly region: string,
  ) {
    this.accountId = new DataAwsCallerIdentity(stack, 'CallerIdentity').accountId;
    this.partition = new DataAwsPartition(stack, 'Partition').partition;
  }

  /** arn:<partition>:<service>:<region>:<account>:<resource> */
  arn(service: string, resource: string, opts: { region?: string; account?: string } = {}): string {
    return `arn:${this.partition}:${service}:${opts.region ?? this.region}:${opts.account ?? this.accountId}:${resource}`;
  }
}
