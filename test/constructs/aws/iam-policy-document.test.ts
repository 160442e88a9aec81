import { asList, policyDocument, principalTrustStatement, renderConditions, renderStatement, serviceTrustDocument, trustDocument } from '../../../constructs/aws/iam-policy-document';

describe('iam-policy-document', () => {
  it('renders a permission as a statement: one value as a string, several as a list, Allow by default', () => {
    expect(renderStatement({ sid: 'A', actions: ['ecs:DescribeServices'], resources: ['r1', 'r2'], justification: 'for the test only' })).toEqual({
      Sid: 'A',
      Effect: 'Allow',
      Action: 'ecs:DescribeServices',
      Resource: ['r1', 'r2'],
    });
    expect(renderStatement({ sid: 'D', effect: 'Deny', actions: ['iam:Create*'], resources: ['*'], justification: 'for the test only' }).Effect).toBe('Deny');
  });

  it('sorts condition operators and keys (deterministic JSON)', () => {
    const c = renderConditions([
      { test: 'StringLike', variable: 'b', values: ['1'] },
      { test: 'StringEquals', variable: 'z', values: ['1', '2'] },
      { test: 'StringEquals', variable: 'a', values: ['1'] },
    ]);
    expect(JSON.stringify(c)).toBe('{"StringEquals":{"a":"1","z":["1","2"]},"StringLike":{"b":"1"}}');
  });

  it('fails when one condition key is given twice under one operator (it would silently overwrite)', () => {
    expect(() => renderConditions([{ test: 'StringEquals', variable: 'a', values: ['1'] }, { test: 'StringEquals', variable: 'a', values: ['2'] }])).toThrow(/given twice/);
  });

  it('fails on a data-plane permission (AWS has none)', () => {
    expect(() => policyDocument([{ sid: 'A', plane: 'data', actions: ['s3:GetObject'], resources: ['*'], justification: 'for the test only' }])).toThrow(/no data-plane/);
  });

  it('renders service and principal trust documents', () => {
    expect(serviceTrustDocument('lambda.amazonaws.com', []).Statement[0]).toEqual({ Sid: 'TrustService', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' });
    expect(trustDocument([principalTrustStatement('Ops', ['arn:aws:iam::111122223333:root'], ['sts:AssumeRole', 'sts:SetSourceIdentity'], [{ test: 'StringEquals', variable: 'sts:ExternalId', values: ['x1'] }])]).Statement[0]).toEqual({
      Sid: 'Ops',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
      Condition: { StringEquals: { 'sts:ExternalId': 'x1' } },
    });
    expect(() => principalTrustStatement('Ops', [], ['sts:AssumeRole'], [])).toThrow(/at least one principal/);
  });

  it('asList reads single values and lists alike', () => {
    expect([asList('a'), asList(['a', 'b']), asList(undefined)]).toEqual([['a'], ['a', 'b'], []]);
  });
});
