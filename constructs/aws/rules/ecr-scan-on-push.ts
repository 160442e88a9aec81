/** AWS-ECR-2 (CKV_AWS_163): images are scanned on push. */
import { block, readBoolean, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const ECR_SCAN_ON_PUSH: Rule = {
  id: 'AWS-ECR-2',
  title: 'ECR repositories scan images on push',
  why: 'A promoted runner image with known vulnerabilities would run with access to the customer\'s network and secrets without anyone being told.',
  fix: 'Set image_scanning_configuration { scan_on_push = true }.',
  publicIds: ['CKV_AWS_163'],
  appliesTo: ['aws_ecr_repository'],
  check: (repo) => {
    const v = readBoolean(block(repo.body.image_scanning_configuration)?.scan_on_push);
    if (v.kind === 'literal' && v.value) return compliant();
    if (v.kind === 'expression') return nonCompliant(unprovable('image_scanning_configuration.scan_on_push', v.text));
    return nonCompliant(`image_scanning_configuration.scan_on_push is ${v.kind === 'absent' ? 'unset (off)' : JSON.stringify(v.value)}`);
  },
};
