/**
 * EKS capacity follows the promise: the node group holds every runner's maxConcurrentJobs Jobs at
 * their request, the controllers and cluster DNS, or validation refuses the config with the numbers.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { eksNodeCounts } from '../../../constructs/aws/config';
import { ec2Size, eksNodeShape } from '../../../constructs/aws/eks-node-shapes';
import { parseConfig } from '../../../constructs/core/config/load';
import { jobsThatFit, nodesNeeded, workloadDemand } from '../../../constructs/kubernetes/capacity';
import { EXAMPLE_AWS_EKS, exampleEksTarget, synthEks } from '../../support/eks';
import type { Json } from '../../support/synth';

const issuesFor = (patch: (k: Json, t: Json) => void) => {
  const doc = parse(readFileSync(EXAMPLE_AWS_EKS, 'utf8')) as Json;
  const t = doc.targets.eksexample;
  patch(t.kubernetes, t);
  const r = parseConfig(stringify(doc), 'test');
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message} (fix: ${i.fix})`);
};

describe('EC2 node shapes', () => {
  it.each([
    ['m6i.large', 2, 8],
    ['m6i.xlarge', 4, 16],
    ['m7g.4xlarge', 16, 64],
    ['c7i.2xlarge', 8, 16],
    ['r6i.large', 2, 16],
    ['t3.medium', 2, 4],
    ['t4g.xlarge', 4, 16],
  ])('%s: %d vCPU, %d GiB', (type, vcpu, memoryGiB) => expect(ec2Size(type)).toEqual({ vcpu, memoryGiB }));

  it.each(['p4d.24xlarge', 'm4.large', 'x2iedn.xlarge', 'm6i.metal', 't2.micro', 'g5.xlarge'])('%s is not sized', (type) => expect(ec2Size(type)).toBeUndefined());

  it('allocatable: the AL2023 kubelet reservations and the per-node system pods come off', () => {
    // m6i.xlarge: 4000m - (60+10+5+5) - 150; 16384 MiB - (255 + 11*58 + 100) - 150
    expect(eksNodeShape('m6i.xlarge')).toEqual({ type: 'm6i.xlarge', cpuMillis: 3770, memoryMiB: 15241 });
    expect(eksNodeShape('m6i.large')).toEqual({ type: 'm6i.large', cpuMillis: 1780, memoryMiB: 7368 });
  });
});

describe('nodes the workload needs', () => {
  const demand = (jobs: number, vcpu = 1, memoryMiB = 2048, runners = 1) =>
    workloadDemand({ runners: Object.fromEntries(Array.from({ length: runners }, (_, i) => [`r${i}`, { vcpu, memoryMiB, replicas: 1 }])), kubernetes: { implementations: ['TERRAFORM'], maxConcurrentJobs: jobs } });

  it('a 2-vCPU node holds one 1-vCPU Job: ten Jobs need ten nodes (the issue\'s example: two m6i.large held about two)', () => {
    expect(nodesNeeded(demand(10), eksNodeShape('m6i.large')!)).toEqual({ fits: true, nodes: 10, jobsPerNode: 1 });
    expect(jobsThatFit(demand(10), eksNodeShape('m6i.large')!, 2)).toBe(2);
  });

  it('memory can be the bound: 1 vCPU / 6 GiB Jobs fit twice on an m6i.xlarge (CPU would allow three)', () => {
    expect(nodesNeeded(demand(4, 1, 6144), eksNodeShape('m6i.xlarge')!)).toEqual({ fits: true, nodes: 2, jobsPerNode: 2 });
  });

  it('every runner brings its own maxConcurrentJobs and controller', () => {
    const d = demand(4, 1, 2048, 3);
    expect(d).toMatchObject({ jobs: 12, fixedCpuMillis: 3 * 2 * 100 + 200 });
    expect(nodesNeeded(d, eksNodeShape('m6i.xlarge')!)).toEqual({ fits: true, nodes: 5, jobsPerNode: 3 });
  });

  it('a Job larger than a node cannot run at all', () => {
    const fit = nodesNeeded(demand(1, 4, 2048), eksNodeShape('m6i.xlarge')!);
    expect(fit).toEqual({ fits: false, reason: expect.stringMatching(/one Job requests 4 CPU and 2Gi, more than a m6i.xlarge node offers \(3770m CPU/) });
  });
});

describe('config: EKS capacity', () => {
  it('the example holds its promise: 6 Jobs on 2 m6i.xlarge nodes', () => {
    expect(issuesFor(() => undefined)).toEqual([]);
    const { config } = exampleEksTarget();
    expect(eksNodeCounts(config.targets.eksexample as never)).toMatchObject({ min: 2, desired: 2, max: 4, fit: { nodes: 2, jobsPerNode: 3 } });
  });

  it('GIVEN the promise outgrows the nodes THEN the default sizes follow it (desired = needed, max at least that)', () => {
    const { config } = exampleEksTarget((t) => (t.kubernetes.maxConcurrentJobs = 10));
    expect(eksNodeCounts(config.targets.eksexample as never)).toMatchObject({ desired: 4, max: 4 });
    const more = exampleEksTarget((t) => (t.kubernetes.maxConcurrentJobs = 20)).config;
    expect(eksNodeCounts(more.targets.eksexample as never)).toMatchObject({ desired: 7, max: 7 });
    const { cluster } = synthEks(more);
    expect(cluster.only('aws_eks_node_group').scaling_config).toEqual({ min_size: 2, desired_size: 7, max_size: 7 });
  });

  it('GIVEN nodeDesiredSize or nodeMaxSize too small THEN validation refuses with the numbers and the fixes', () => {
    const issues = issuesFor((k) => Object.assign(k, { maxConcurrentJobs: 10, nodeTypes: ['m6i.large'], nodeDesiredSize: 2, nodeMaxSize: 4 }));
    expect(issues).toEqual([
      expect.stringMatching(/^targets\.eksexample\.kubernetes\.nodeDesiredSize: is too small: 10 Jobs \(maxConcurrentJobs 10 x 1 runner\(s\)\) of 1000m CPU and 2048 MiB, plus the controllers and cluster DNS, need 10 m6i\.large node\(s\) \(each holds 1 Job\(s\): 1780m CPU and 7368 MiB allocatable\); the node group does not scale by itself, so Jobs beyond it would wait Pending \(fix: raise nodeDesiredSize to 10, choose a larger instance type, or lower maxConcurrentJobs to 2 \(what 2 node\(s\) hold\)\)$/),
      expect.stringMatching(/^targets\.eksexample\.kubernetes\.nodeMaxSize: is too small: .* need 10 m6i\.large .*lower maxConcurrentJobs to 4 \(what 4 node\(s\) hold\)\)$/),
    ]);
  });

  it('GIVEN a type the kit cannot size, or one too small for a single Job THEN validation says so', () => {
    expect(issuesFor((k) => (k.nodeTypes = ['p4d.24xlarge']))).toEqual([expect.stringMatching(/kubernetes\.nodeTypes\[0\]: is an instance type the kit cannot size/)]);
    expect(issuesFor((k, t) => ((k.nodeTypes = ['t3.medium']), (t.runners.default.vcpu = 2)))).toEqual([expect.stringMatching(/kubernetes\.nodeTypes: cannot run a single Job: one Job requests 2 CPU/)]);
  });

  it('GIVEN mixed node types THEN the one needing the most nodes decides', () => {
    const { config } = exampleEksTarget((t) => (t.kubernetes.nodeTypes = ['m6i.2xlarge', 'm6i.xlarge']));
    expect(eksNodeCounts(config.targets.eksexample as never)).toMatchObject({ shape: { type: 'm6i.xlarge' } });
  });
});
