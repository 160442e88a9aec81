/** AWS-ECR-1 (CKV_AWS_51): the kit's repositories have immutable tags. */
import { readString, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const ECR_IMMUTABLE_TAGS: Rule = {
  id: 'AWS-ECR-1',
  title: 'ECR repositories have immutable tags',
  why: 'With mutable tags a release tag can be re-pointed to other bytes after it was promoted and reviewed; anyone able to push could swap the runner image under a known version.',
  fix: 'Set image_tag_mutability = "IMMUTABLE" (the repositories are the kit\'s own mirror; promotion never overwrites a tag).',
  publicIds: ['CKV_AWS_51'],
  appliesTo: ['aws_ecr_repository'],
  check: (repo) => {
    const v = readString(repo.body.image_tag_mutability);
    if (v.kind === 'literal' && v.value === 'IMMUTABLE') return compliant();
    if (v.kind === 'expression') return nonCompliant(unprovable('image_tag_mutability', v.text));
    return nonCompliant(`image_tag_mutability is ${v.kind === 'absent' ? 'unset (the default is MUTABLE)' : JSON.stringify(v.value)}`);
  },
};
