import { ALL_EKS_EMULATOR_RELAXATIONS, EKS_EMULATOR_RELAXATIONS } from '../../../constructs/aws/eks-emulator-relaxations';
import { EMULATOR_RELAXATIONS } from '../../../constructs/aws/emulator-profile';

describe('EKS emulator relaxations', () => {
  it('lists exactly what moto 5.2.1 lacks or drifts on for EKS, each with what and why', () => {
    expect(ALL_EKS_EMULATOR_RELAXATIONS).toEqual([
      'eks-no-access-entries',
      'eks-no-pod-identity-association',
      'eks-no-addons',
      'eks-cluster-ignore-access-config',
      'eks-node-group-ignore-drift',
      'eks-launch-template-ignore-tag-drift',
      'eks-no-updater-api-rule',
    ]);
    for (const r of EKS_EMULATOR_RELAXATIONS) {
      expect(r.what.length).toBeGreaterThan(20);
      expect(r.why).toMatch(/moto/);
    }
  });

  it('are part of the single emulator profile list, each id once', () => {
    const ids = EMULATOR_RELAXATIONS.map((r) => r.id);
    for (const r of EKS_EMULATOR_RELAXATIONS) expect(ids.filter((id) => id === r.id)).toEqual([r.id]);
  });
});
