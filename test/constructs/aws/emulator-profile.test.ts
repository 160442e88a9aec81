import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { EMULATOR_RELAXATIONS, EmulatorProfile, relaxed, type RelaxationId } from '../../../constructs/aws/emulator-profile';

describe('the emulator profile', () => {
  it('lists every relaxation once, each with what and why (the EKS ones naming moto)', () => {
    const ids = EMULATOR_RELAXATIONS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('eks-'))).toEqual([
      'eks-no-access-entries',
      'eks-no-pod-identity-association',
      'eks-no-addons',
      'eks-cluster-ignore-access-config',
      'eks-node-group-ignore-drift',
      'eks-launch-template-ignore-tag-drift',
      'eks-no-updater-api-rule',
    ]);
    for (const r of EMULATOR_RELAXATIONS) {
      expect(r.what.length).toBeGreaterThan(20);
      if (r.id.startsWith('eks-')) expect(r.why).toMatch(/moto/);
    }
  });

  it('is off unless the stack switches it on, and then applies to every construct of that stack only', () => {
    const app = Testing.app();
    const production = new TerraformStack(app, 'prod');
    const emulated = new TerraformStack(app, 'emu');
    EmulatorProfile.enable(emulated);
    const deep = new Construct(new Construct(emulated, 'A'), 'B');
    expect(relaxed(new Construct(production, 'X'), 'eks-no-addons')).toBe(false);
    expect(relaxed(deep, 'eks-no-addons')).toBe(true);
  });

  it('fails for a relaxation that is not in the list', () => {
    expect(() => relaxed(new TerraformStack(Testing.app(), 's'), 'no-such-relaxation' as RelaxationId)).toThrow('unknown emulator relaxation no-such-relaxation');
  });
});
