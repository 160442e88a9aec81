/** A bare AWS stack for construct unit tests: provider and AwsContext only. Test helper, not a test. */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import { AwsContext } from '../../../constructs/aws/aws-context';

export function unitStack(name = 'unit'): TerraformStack {
  const stack = new TerraformStack(Testing.app(), name);
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  AwsContext.init(stack, 'eu-central-1');
  return stack;
}
