import {
  asReference, block, blocks, isExpression, isSet, readBoolean, readNumber, readString, referencedAddresses, refersTo,
} from '../../../../constructs/core/rules/expressions';
import { SynthesizedConfig } from '../../../../constructs/core/rules/synthesized-config';

describe('expressions: tokens are never read as literals', () => {
  it('recognizes Terraform interpolations and template directives, not escaped ones', () => {
    expect(isExpression('${aws_kms_key.k.arn}')).toBe(true);
    expect(isExpression('arn:${data.aws_partition.p.partition}:iam::123:root')).toBe(true);
    expect(isExpression('%{ if var.x }a%{ endif }')).toBe(true);
    expect(isExpression('$${literal}')).toBe(false);
    expect(isExpression('plain')).toBe(false);
    expect(isExpression(true)).toBe(false);
  });

  it('reads values as absent, literal, expression or invalid', () => {
    expect(readBoolean(undefined)).toEqual({ kind: 'absent' });
    expect(readBoolean(false)).toEqual({ kind: 'literal', value: false });
    expect(readBoolean('true')).toEqual({ kind: 'literal', value: true });
    expect(readBoolean('${var.x}')).toEqual({ kind: 'expression', text: '${var.x}' });
    expect(readBoolean(1)).toEqual({ kind: 'invalid', value: 1 });
    expect(readNumber('3600')).toEqual({ kind: 'literal', value: 3600 });
    expect(readNumber('${var.n}')).toEqual({ kind: 'expression', text: '${var.n}' });
    expect(readString('${aws_x.y.z}')).toEqual({ kind: 'expression', text: '${aws_x.y.z}' });
  });

  it('counts a reference as set, empty strings and lists as unset', () => {
    expect(isSet('${aws_kms_key.k.arn}')).toBe(true);
    expect(isSet('')).toBe(false);
    expect(isSet([])).toBe(false);
    expect(isSet(null)).toBe(false);
    expect(isSet(0)).toBe(true);
  });

  it('parses single references and finds every address an expression mentions', () => {
    expect(asReference('${aws_iam_role.Role_1A2B.arn}')).toEqual({ address: 'aws_iam_role.Role_1A2B', attribute: 'arn' });
    expect(asReference('${data.aws_iam_policy_document.D.json}')).toEqual({ address: 'data.aws_iam_policy_document.D', attribute: 'json' });
    expect(asReference('arn:${data.aws_partition.P.partition}:x')).toBeUndefined();
    expect(referencedAddresses('${element(data.aws_availability_zones.Z.names, 0)}-${aws_vpc.V.id}-${var.x}')).toEqual(['data.aws_availability_zones.Z', 'aws_vpc.V']);
  });

  it('matches references and literal names to a resource', () => {
    const config = SynthesizedConfig.fromJson({ resource: { aws_iam_role: { r: { name: 'kit-role' } } } });
    const role = config.get('aws_iam_role.r')!;
    expect(refersTo('${aws_iam_role.r.name}', role, ['name', 'id'])).toBe(true);
    expect(refersTo('${aws_iam_role.r.arn}', role, ['name', 'id'])).toBe(false);
    expect(refersTo('kit-role', role, ['name'])).toBe(true);
    expect(refersTo('${aws_iam_role.other.name}', role, ['name'])).toBe(false);
  });

  it('reads nested blocks given as an object or a list', () => {
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks([{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(blocks('${var.x}')).toEqual([]);
    expect(block(undefined)).toBeUndefined();
  });
});

describe('SynthesizedConfig', () => {
  it('addresses resources and data sources as Terraform does, in a stable order', () => {
    const config = SynthesizedConfig.fromJson({
      resource: { aws_vpc: { b: {}, a: {} }, aws_eip: { e: {} } },
      data: { aws_partition: { p: {} } },
    });
    expect(config.all().map((v) => v.address)).toEqual(['aws_eip.e', 'aws_vpc.a', 'aws_vpc.b', 'data.aws_partition.p']);
    expect(config.ofType('aws_vpc').map((v) => v.name)).toEqual(['a', 'b']);
    expect(config.ofType('data.aws_partition').map((v) => v.kind)).toEqual(['data']);
    expect(config.ofType('aws_partition')).toEqual([]);
  });

  it('fails for something that is not a JSON object', () => {
    expect(() => SynthesizedConfig.fromJson([])).toThrow('synthesized Terraform configuration must be a JSON object, got object');
  });
});
