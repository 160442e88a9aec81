/**
 * GkeCluster alone: bad input fails at synthesis with the field and the fix, before anything is
 * deployed (config validation refuses these first; the construct guards its own props too).
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { GcpContext } from '../../../constructs/gcp/gcp-context';
import { GkeCluster, type GkeClusterProps } from '../../../constructs/gcp/gke-cluster';
import { MirrorRegistry } from '../../../constructs/gcp/registry-mirror';
import { RunnerKey } from '../../../constructs/gcp/runner-key';
import { RunnerNetwork } from '../../../constructs/gcp/runner-network';

function make(overrides: Partial<GkeClusterProps> = {}): { stack: TerraformStack; cluster: GkeCluster } {
  const stack = new TerraformStack(Testing.app(), 'gke');
  new GoogleProvider(stack, 'google', { project: 'acme-runners', region: 'europe-west3' });
  GcpContext.init(stack, { projectId: 'acme-runners', region: 'europe-west3' });
  const key = new RunnerKey(stack, 'Key', { target: 't' });
  const network = new RunnerNetwork(stack, 'Network', { target: 't', cidr: '10.42.0.0/22' });
  const registry = new MirrorRegistry(stack, 'Mirror', { target: 't', key, keepReleases: 10 });
  const cluster = new GkeCluster(stack, 'Cluster', { target: 't', clusterName: 't', key, network, registry, kubernetesVersion: '1.33', subnetCidr: '10.42.0.0/22', ...overrides });
  return { stack, cluster };
}

describe('GkeCluster', () => {
  it('with only required props: private, DNS endpoint, no warning', () => {
    const { stack, cluster } = make();
    const json = JSON.parse(Testing.synth(stack));
    const c = Object.values(json.resource.google_container_cluster)[0] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(c.private_cluster_config).toMatchObject({ enable_private_nodes: true, enable_private_endpoint: true });
    expect(c.deletion_protection).toBe(true);
    expect(cluster.endpoint).toMatch(/^https:\/\/\$\{TfToken/);
    expect(stack.node.findAll().flatMap((n) => n.node.metadata).filter((m) => /warn/i.test(m.type))).toEqual([]);
  });

  it('deletionProtection false is honoured (risky opt-out)', () => {
    const { stack } = make({ deletionProtection: false });
    expect(Testing.synth(stack)).toContain('"deletion_protection": false');
  });

  it.each<[string, Partial<GkeClusterProps>, RegExp]>([
    ['a public endpoint without networks', { allowPublicEndpoint: true }, /allowPublicEndpoint needs publicEndpointCidrs/],
    ['a public endpoint open to the internet', { allowPublicEndpoint: true, publicEndpointCidrs: ['0.0.0.0/0'] }, /must not contain a \/0/],
    ['networks without the opt-in', { publicEndpointCidrs: ['203.0.113.0/24'] }, /publicEndpointCidrs is set without allowPublicEndpoint/],
    ['a maintenance time that is not HH:MM', { maintenanceStartTime: '25:00' }, /is not HH:MM \(UTC\)/],
  ])('fails for %s', (_name, overrides, message) => {
    expect(() => make(overrides)).toThrow(message);
  });

  it('warns when the public endpoint is opted in', () => {
    const { stack } = make({ allowPublicEndpoint: true, publicEndpointCidrs: ['203.0.113.0/24'] });
    const warnings = stack.node.findAll().flatMap((n) => n.node.metadata).filter((m) => /warn/i.test(m.type)).map((m) => String(m.data));
    expect(warnings.join('\n')).toMatch(/public IP endpoint is open to 203\.0\.113\.0\/24/);
  });
});
