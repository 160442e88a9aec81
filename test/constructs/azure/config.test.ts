/**
 * The Azure part of the config: the example loads with its defaults, and every wrong value of the
 * azure block, the operator access, the state backend and the ACI sizes is refused with the field,
 * the value received and how to fix it, before anything is synthesized.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import type { ConfigIssue } from '../../../constructs/core/config/config-error';
import { loadConfigFile, parseConfig } from '../../../constructs/core/config/load';
import { aciStackName, globalSuffix, keyVaultName, registryName, roleDefinitionGuid, storageAccountName, updaterAppName } from '../../../constructs/azure/azure-names';
import { kindOf } from '../../../kinds';
import { REPO_ROOT, type Json } from '../../support/synth';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'azure-aci.yaml');

function withTarget(patch: (t: Json) => void, extraTargets: Record<string, Json> = {}): string {
  const doc = parse(readFileSync(EXAMPLE, 'utf8')) as Json;
  patch(doc.targets.aciexample);
  Object.assign(doc.targets, extraTargets);
  return stringify(doc);
}
function issues(text: string): ConfigIssue[] {
  const r = parseConfig(text, 'test.yaml');
  if (r.ok) throw new Error('expected the config to be rejected');
  return [...r.issues];
}
function issueAt(patch: (t: Json) => void, field: string, message: RegExp): ConfigIssue {
  const all = issues(withTarget(patch));
  const path = `targets.aciexample.${field}`;
  const hit = all.find((i) => i.path === path && message.test(i.message));
  if (!hit) throw new Error(`no issue at ${path} matching ${message}; got: ${all.map((i) => `${i.path}: ${i.message}`).join(' | ')}`);
  expect(hit.fix.length).toBeGreaterThan(10);
  return hit;
}

describe('Azure config', () => {
  it('accepts examples/azure-aci.yaml as an azure/aci target with the documented defaults', () => {
    const r = loadConfigFile(EXAMPLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t = r.config.targets.aciexample!;
    expect(kindOf(t)).toMatchObject({ cloud: 'azure', platform: 'aci' });
    expect(t).toMatchObject({ cloud: 'azure', stateBackend: { type: 'local' }, azure: { allowPublicRegistryEndpoint: false } });
    expect(kindOf(t).stackNames('aciexample')).toEqual(['aciexample']);
    expect(aciStackName('x')).toBe('x');
  });

  it.each([
    ['azure.subscriptionId', (t: Json) => (t.azure.subscriptionId = 'my-subscription'), /is not a GUID/],
    ['azure.tenantId', (t: Json) => (t.azure.tenantId = '1234'), /is not a GUID/],
    ['azure.resourceGroupName', (t: Json) => (t.azure.resourceGroupName = 'rg/with/slash'), /is not a resource group name/],
    ['azure.networkWatcher.name', (t: Json) => (t.azure.networkWatcher = { name: 'bad name!', resourceGroupName: 'NetworkWatcherRG' }), /is not a Network Watcher name/],
    ['azure.deployerCidrs[0]', (t: Json) => (t.azure.deployerCidrs = ['10.0.0.0/24']), /is not a public network/],
    ['azure.deployerCidrs[0]', (t: Json) => (t.azure.deployerCidrs = ['0.0.0.0/0']), /whole internet/],
    ['azure.deployerCidrs[0]', (t: Json) => (t.azure.deployerCidrs = ['203.0.113.6/31']), /take single addresses or networks of \/30/],
    ['azure.deployerCidrs[0]', (t: Json) => (t.azure.deployerCidrs = ['example.com']), /not an IPv4 CIDR/],
    ['azure.deployerCidrs[1]', (t: Json) => (t.azure.deployerCidrs = ['203.0.113.0/28', '203.0.113.0/28']), /listed twice/],
    ['operatorAccess.principalObjectId', (t: Json) => (t.operatorAccess.principalObjectId = 'meshcloud'), /not a GUID/],
    ['operatorAccess.networkCidrs[0]', (t: Json) => (t.operatorAccess.networkCidrs = ['192.168.0.0/16']), /not a public network/],
    ['network.existingNetworkId', (t: Json) => ((t.network.existingNetworkId = '/subscriptions/x/vnet'), (t.network.existingSubnetIds = ['a', 'b'])), /not available on Azure yet/],
    ['network.natGateways', (t: Json) => (t.network.natGateways = 'perZone'), /does not apply on Azure/],
    ['network.zones', (t: Json) => (t.network.zones = 3), /does not apply on Azure/],
    ['encryption.existingKeyId', (t: Json) => (t.encryption = { existingKeyId: 'https://kv.vault.azure.net/keys/k' }), /not available on Azure yet/],
    ['logs.retentionDays', (t: Json) => (t.logs.retentionDays = 7), /not a Log Analytics retention/],
    ['tags["a/b"]', (t: Json) => (t.tags = { 'a/b': 'x' }), /character Azure refuses/],
    ['tags.runner-kit-version', (t: Json) => (t.tags = { 'runner-kit-version': 'x' }), /the updater writes on container groups/],
    ['tags.Cost', (t: Json) => (t.tags = { cost: 'a', Cost: 'b' }), /case-insensitive/],
    ['runners.default.vcpu', (t: Json) => (t.runners.default.vcpu = 5), /Azure Container Instances/],
    ['runners.default.vcpu', (t: Json) => (t.runners.default.vcpu = 0.3), /steps of 0.25/],
    ['runners.default.memoryMiB', (t: Json) => (t.runners.default.memoryMiB = 1000), /steps of 512/],
    ['runners.default.replicas', (t: Json) => (t.runners.default.replicas = 2), /one container group/],
    ['runners.default.architecture', (t: Json) => (t.runners.default.architecture = 'arm64'), /x86_64/],
    ['stateBackend.storageAccountName', (t: Json) => (t.stateBackend = { type: 'azurerm', resourceGroupName: 'rg', storageAccountName: 'Bad_Name', containerName: 'tfstate' }), /storage account name/],
    ['stateBackend.containerName', (t: Json) => (t.stateBackend = { type: 'azurerm', resourceGroupName: 'rg', storageAccountName: 'tfstate01', containerName: 'A' }), /blob container name/],
  ])('refuses %s', (field, patch, message) => {
    const issue = issueAt(patch, field, message);
    expect(issue.received).not.toBeUndefined();
  });

  it('requires the azure block and its deployer networks, naming what they are for', () => {
    expect(issues(withTarget((t) => delete t.azure)).find((i) => i.path === 'targets.aciexample.azure')).toMatchObject({ message: 'is required' });
    const missing = issues(withTarget((t) => delete t.azure.deployerCidrs)).find((i) => i.path === 'targets.aciexample.azure.deployerCidrs')!;
    expect(missing.fix).toMatch(/cdktf deploy/);
  });

  it('refuses an aws block on an Azure target, and an azure block on an AWS one', () => {
    expect(issues(withTarget((t) => (t.aws = { accountId: '123456789012' }))).map((i) => i.path)).toContain('targets.aciexample.aws');
  });

  it('refuses two targets in one resource group', () => {
    const other = parse(readFileSync(EXAMPLE, 'utf8')).targets.aciexample as Json;
    const all = issues(withTarget((t) => (t.azure.resourceGroupName = 'shared'), { second: { ...other, azure: { ...other.azure, resourceGroupName: 'shared' } } }));
    expect(all.find((i) => i.path === 'targets.second.azure.resourceGroupName')).toMatchObject({ received: 'shared', message: expect.stringMatching(/also the resource group of target "aciexample"/) });
  });

  it('accepts a parked runner and an azurerm state backend', () => {
    expect(parseConfig(withTarget((t) => ((t.runners.default.replicas = 0), (t.stateBackend = { type: 'azurerm', resourceGroupName: 'tfstate', storageAccountName: 'tfstate0123', containerName: 'tfstate' })))).ok).toBe(true);
  });
});

describe('Azure names', () => {
  const sub = '00000000-0000-4000-8000-000000000001';
  it('fit Azure\'s limits for the longest target name and are unique per subscription and target', () => {
    const target = 'a'.repeat(32);
    expect(keyVaultName(sub, target)).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
    expect(keyVaultName(sub, target).length).toBeLessThanOrEqual(24);
    expect(registryName(sub, target)).toMatch(/^[a-z0-9]{5,50}$/);
    expect(storageAccountName(sub, target)).toMatch(/^[a-z0-9]{3,24}$/);
    expect(updaterAppName(sub, target).length).toBeLessThanOrEqual(60);
    expect(globalSuffix(sub, 'prod')).not.toBe(globalSuffix('00000000-0000-4000-8000-000000000002', 'prod'));
    expect(globalSuffix(sub, 'prod')).not.toBe(globalSuffix(sub, 'prodeu'));
  });

  it('role definition ids are GUIDs Azure accepts, stable for a target and role', () => {
    const id = roleDefinitionGuid(sub, 'prod', 'operator');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(roleDefinitionGuid(sub, 'prod', 'operator')).toBe(id);
    expect(roleDefinitionGuid(sub, 'prod', 'updater-runner')).not.toBe(id);
  });
});
