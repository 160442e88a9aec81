/**
 * What every composition starts with and ends with, the same on every cloud and platform: the
 * target's customer-managed key -> its network -> its alarm sink -> one private mirror per distinct
 * upstream image; and at the end the outputs every target writes under the same names.
 *
 * The CaaS composition (`caas-runners.ts`) and the Kubernetes cluster composition
 * (`kubernetes-cluster.ts`) build on it; a cloud's bindings supply the four constructs.
 */
import { TerraformOutput, type TerraformStack } from 'cdktf';
import type { IAlarmSink, IEncryptionKey, IOperatorAccess, IRegistryMirror, IRunnerNetwork, IUpdatePipeline, SecretInput } from '../interfaces';

/** The bindings every composition needs from a cloud. */
export interface FoundationBindings {
  /** The target's customer-managed key (or the customer's own, bring-your-own). */
  key(): IEncryptionKey;
  /** The runners' network (or the customer's own, bring-your-own). */
  network(key: IEncryptionKey): IRunnerNetwork;
  /** Where every alarm of the target goes. */
  alarmSink(key: IEncryptionKey): IAlarmSink;
  /** The private mirror of one upstream image. */
  mirror(upstreamImage: string, key: IEncryptionKey): IRegistryMirror;
}

export interface Foundation {
  readonly key: IEncryptionKey;
  readonly network: IRunnerNetwork;
  readonly alarms: IAlarmSink;
  /** The mirror of each distinct upstream image: runners pull only from these. */
  readonly mirrors: ReadonlyMap<string, IRegistryMirror>;
}

/** What every composition returns beside its platform's parts. */
export interface ComposedTarget extends Foundation {
  readonly updates: IUpdatePipeline;
  readonly secretInputs: readonly SecretInput[];
  readonly operatorAccess?: IOperatorAccess;
}

/** Creates the key, the network, the alarm sink and one mirror per distinct image of `images`. */
export function composeFoundation(bindings: FoundationBindings, images: readonly string[]): Foundation {
  const key = bindings.key();
  const network = bindings.network(key);
  const alarms = bindings.alarmSink(key);
  const mirrors = new Map<string, IRegistryMirror>();
  for (const image of images) if (!mirrors.has(image)) mirrors.set(image, bindings.mirror(image, key));
  return { key, network, alarms, mirrors };
}

export type Outputs = Readonly<Record<string, { readonly value: unknown; readonly description: string }>>;

/** The outputs every composition writes, with the same names on every cloud. */
export function commonOutputs(c: Omit<ComposedTarget, 'operatorAccess'> & { readonly operatorAccess?: IOperatorAccess | undefined; readonly runners: readonly string[] }): Outputs {
  return {
    network_id: { value: c.network.networkId, description: 'The network of the runners (AWS: the VPC).' },
    runner_subnet_ids: { value: c.network.runnerSubnetIds, description: 'Private subnets the runners run in (no public IPs).' },
    nat_egress_ips: { value: c.network.egressIps, description: 'Public IPs all runner traffic leaves from: allow-list these on your git servers (empty for a bring-your-own network).' },
    encryption_key: { value: c.key.keyReference, description: 'Customer-managed key encrypting secrets, logs, the mirror and the alarm sink.' },
    alarm_sink: { value: c.alarms.sinkId, description: 'Where every alarm goes (AWS: the SNS topic): subscribe your on-call channel.' },
    mirror_repositories: { value: Object.fromEntries([...c.mirrors].map(([image, m]) => [image, m.repositoryUrl])), description: 'The private mirror repository of each upstream image: the runners pull only from these.' },
    updater_name: { value: c.updates.updaterName, description: 'The updater: invoke it with {"action": "check" | "update" | "rollback"} (see README: Updates).' },
    runner_version_records: { value: c.updates.versionRecords, description: 'Where each runner\'s version record lives (what runs, what ran before).' },
    runner_bootstrap_versions: { value: Object.fromEntries(c.runners.map((n) => [n, c.updates.bootstrapVersion(n)])), description: 'Version each runner was first deployed with (later versions: runner_version_records).' },
    secret_inputs: { value: c.secretInputs.map((i) => i.variable), description: 'Ephemeral variables to set as TF_VAR_<name> on the first deploy and whenever the version of their secret is bumped (apiClientSecretVersion, privateKeyVersion).' },
    ...(c.operatorAccess !== undefined ? { operator_access: { value: c.operatorAccess.principal, description: 'What meshcloud operators use (AWS: the role they assume with the agreed external id): read-only diagnostics and invoking the updater.' } } : {}),
  };
}

export function writeOutputs(stack: TerraformStack, outputs: Outputs): void {
  for (const [id, o] of Object.entries(outputs)) new TerraformOutput(stack, id, { value: o.value, description: o.description });
}

/** `{ runner: f(value) }` for each runner of `runners`. */
export function perRunner<T>(runners: Readonly<Record<string, T>>, f: (value: T, name: string) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(runners).map(([n, r]) => [n, f(r, n)]));
}
