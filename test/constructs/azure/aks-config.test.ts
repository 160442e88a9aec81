/**
 * The AKS part of the config: examples/azure-aks.yaml loads as an azure/aks target; versions, VM
 * sizes, architectures, the autoscaler's bounds (the same capacity arithmetic as EKS, with AKS's
 * node reservations) and the VNet's distance from the overlay ranges are checked before anything is
 * synthesized, each issue naming the field, the value and the fix. The node shapes and the
 * maintenance schedule derived from updates.window are pure and tested here too.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { aksMaintenanceSchedule, standardUtcOffset } from '../../../constructs/azure/aks-maintenance';
import { aksNodeShape, azureVmSize } from '../../../constructs/azure/aks-node-shapes';
import { aksNodeCounts, type AzureTargetConfig } from '../../../constructs/azure/config';
import type { ConfigIssue } from '../../../constructs/core/config/config-error';
import { loadConfigFile, parseConfig } from '../../../constructs/core/config/load';
import { kindOf } from '../../../kinds';
import { REPO_ROOT, type Json } from '../../support/synth';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'azure-aks.yaml');

function withTarget(patch: (t: Json) => void): string {
  const doc = parse(readFileSync(EXAMPLE, 'utf8')) as Json;
  patch(doc.targets.aksexample);
  return stringify(doc);
}
function issues(text: string): ConfigIssue[] {
  const r = parseConfig(text, 'test.yaml');
  if (r.ok) throw new Error('expected the config to be rejected');
  return [...r.issues];
}
function issueAt(patch: (t: Json) => void, field: string, message: RegExp): ConfigIssue {
  const all = issues(withTarget(patch));
  const at = `targets.aksexample.${field}`;
  const hit = all.find((i) => i.path === at && message.test(i.message));
  if (!hit) throw new Error(`no issue at ${at} matching ${message}; got: ${all.map((i) => `${i.path}: ${i.message}`).join(' | ')}`);
  expect(hit.fix.length).toBeGreaterThan(10);
  return hit;
}
function loaded(patch: (t: Json) => void = () => undefined): AzureTargetConfig {
  const r = parseConfig(withTarget(patch), 'test.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join(' | '));
  return r.config.targets.aksexample as AzureTargetConfig;
}

describe('AKS config', () => {
  it('accepts examples/azure-aks.yaml as an azure/aks target with two stacks', () => {
    const r = loadConfigFile(EXAMPLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t = r.config.targets.aksexample!;
    expect(kindOf(t)).toMatchObject({ cloud: 'azure', platform: 'aks', kubernetes: true });
    expect(kindOf(t).stackNames('aksexample')).toEqual(['aksexample-cluster', 'aksexample-workload']);
  });

  it('requires the kubernetes block on AKS', () => {
    issueAt((t) => delete t.kubernetes, 'kubernetes', /is required on platform "aks"/);
  });

  it.each([
    ['kubernetes.version', (t: Json) => (t.kubernetes.version = '1.29'), /not a Kubernetes version the kit deploys on AKS/],
    ['kubernetes.nodeTypes', (t: Json) => (t.kubernetes.nodeTypes = ['Standard_D4s_v5', 'Standard_D8s_v5']), /exactly one VM size/],
    ['kubernetes.nodeTypes[0]', (t: Json) => (t.kubernetes.nodeTypes = ['m6i.xlarge']), /not a VM size the kit can size on AKS/],
    ['kubernetes.nodeTypes[0]', (t: Json) => (t.kubernetes.nodeTypes = ['Standard_B4ms']), /not a VM size the kit can size on AKS/],
    ['kubernetes.nodeDesiredSize', (t: Json) => (t.kubernetes.nodeDesiredSize = 3), /cluster autoscaler/],
    ['network.cidr', (t: Json) => (t.network.cidr = '10.0.0.0/22'), /overlaps 10\.0\.0\.0\/16, the service address range/],
    ['network.cidr', (t: Json) => (t.network.cidr = '10.244.4.0/22'), /overlaps 10\.244\.0\.0\/16, the pod address range/],
    ['runners.default.architecture', (t: Json) => (t.runners.default.architecture = 'arm64'), /does not match the node size Standard_D4s_v5 \(x86_64\)/],
  ])('refuses %s with the field, the value and the fix', (field, patch, message) => {
    issueAt(patch, field, message);
  });

  it('refuses an autoscaler maximum that cannot hold maxConcurrentJobs, with the numbers and what would fit', () => {
    const i = issueAt((t) => {
      t.kubernetes.maxConcurrentJobs = 20;
      t.kubernetes.nodeMaxSize = 3;
    }, 'kubernetes.nodeMaxSize', /is too small: 20 Jobs \(maxConcurrentJobs 20 x 1 runner\(s\)\) of 1000m CPU and 2048 MiB/);
    expect(i.message).toMatch(/need \d+ Standard_D4s_v5 node\(s\)/);
    expect(i.fix).toMatch(/raise nodeMaxSize to \d+, choose a larger VM size, or lower maxConcurrentJobs to \d+/);
  });

  it('refuses runners whose one Job does not fit a node', () => {
    issueAt((t) => {
      t.kubernetes.nodeTypes = ['Standard_F2s_v2'];
      t.runners.default.memoryMiB = 8192;
    }, 'kubernetes.nodeTypes', /cannot run a single Job/);
  });

  it('sizes the autoscaler from the workload: the example (6 Jobs) needs 2 nodes of Standard_D4s_v5, bounds 2..4; more Jobs raise the maximum', () => {
    const counts = aksNodeCounts(loaded());
    if ('unsized' in counts) throw new Error('unsized');
    expect(counts.fit).toMatchObject({ fits: true, nodes: 2, jobsPerNode: 3 });
    expect([counts.min, counts.max]).toEqual([2, 4]);
    const more = aksNodeCounts(loaded((t) => (t.kubernetes.maxConcurrentJobs = 20)));
    if ('unsized' in more || !more.fit.fits) throw new Error('unsized');
    expect(more.max).toBe(more.fit.nodes);
    expect(more.max).toBeGreaterThan(4);
  });

  it('arm64 runners get the Arm64 default size', () => {
    const t = loaded((t) => {
      delete t.kubernetes.nodeTypes;
      t.runners.default.architecture = 'arm64';
    });
    const counts = aksNodeCounts(t);
    expect('unsized' in counts ? undefined : counts.shape.type).toBe('Standard_D4ps_v5');
  });
});

describe('AKS node shapes', () => {
  it.each([
    ['Standard_D4s_v5', 4, 16, false],
    ['Standard_D8ds_v5', 8, 32, false],
    ['Standard_E4as_v5', 4, 32, false],
    ['Standard_F8s_v2', 8, 16, false],
    ['Standard_D4ps_v5', 4, 16, true],
  ])('%s: %d vCPU, %d GiB, arm64 %s', (size, vcpu, gib, arm) => {
    expect(azureVmSize(size)).toEqual({ vcpu, memoryGiB: gib, arm64: arm });
  });

  it.each(['Standard_B4ms', 'Standard_D4_v5', 'Standard_NC6s_v3', 'Standard_F4ps_v2', 'Standard_D3s_v5', 'm6i.xlarge'])('cannot size %s', (size) => {
    expect(azureVmSize(size)).toBeUndefined();
  });

  it("allocatable after AKS's reservations: Standard_D4s_v5 keeps 3460m CPU and 13134 MiB (140m and 2250 + 100 MiB reserved, 400m / 900 MiB system pods)", () => {
    expect(aksNodeShape('Standard_D4s_v5')).toEqual({ type: 'Standard_D4s_v5', cpuMillis: 3460, memoryMiB: 13134 });
  });
});

describe('AKS maintenance schedule from updates.window', () => {
  it('weekly on the window\'s weekday at its start, the standard-time offset of the time zone, at least 4 hours', () => {
    expect(aksMaintenanceSchedule({ schedule: '30 2 * * 6', durationMinutes: 120, timeZone: 'Europe/Berlin' })).toEqual({
      frequency: 'Weekly', interval: 1, duration: 4, dayOfWeek: 'Saturday', startTime: '02:30', utcOffset: '+01:00',
    });
  });

  it('daily when every day is allowed; the window\'s length rounded up to hours', () => {
    expect(aksMaintenanceSchedule({ schedule: '0 22 * * *', durationMinutes: 330, timeZone: 'America/New_York' })).toMatchObject({ frequency: 'Daily', duration: 6, startTime: '22:00', utcOffset: '-05:00' });
  });

  it('monthly on the first day of the month when only days of the month are given', () => {
    expect(aksMaintenanceSchedule({ schedule: '0 1 15 * *', durationMinutes: 60, timeZone: 'UTC' })).toMatchObject({ frequency: 'AbsoluteMonthly', dayOfMonth: 15, utcOffset: '+00:00' });
  });

  it('without a window: weekly, Sunday 00:00 UTC, 4 hours', () => {
    expect(aksMaintenanceSchedule(undefined)).toEqual({ frequency: 'Weekly', interval: 1, duration: 4, dayOfWeek: 'Sunday', startTime: '00:00', utcOffset: '+00:00' });
  });

  it('offsets with minutes', () => {
    expect(standardUtcOffset('Asia/Kolkata')).toBe('+05:30');
  });
});
