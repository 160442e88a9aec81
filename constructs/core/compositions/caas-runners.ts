/**
 * The container-as-a-service runner composition, the same on every cloud (ECS on Fargate; next
 * Azure Container Instances and Cloud Run worker pools): the foundation (key -> network -> alarm
 * sink -> one mirror per upstream image) -> update pipeline (whose bootstrap promotes each runner's
 * release) -> per runner: its secrets, its service running the bootstrapped digest and the alarms
 * on its own word about meshStack -> operator
 * access -> the outputs, with the same names on every cloud.
 *
 * A cloud supplies bindings: functions that create its constructs and return the typed interfaces
 * of `constructs/core/interfaces.ts`. The composition never sees a cloud's resource types, and a
 * cloud's stack never repeats the wiring. Constructs are created in the stack's own scope, so their
 * ids (and Terraform addresses) are the bindings' choice.
 */
import type { TerraformStack } from 'cdktf';
import type { RunnerConfig, SharedTargetConfig } from '../config/schema';
import type { IAlarmSink, IEncryptionKey, IOperatorAccess, IRegistryMirror, IRunnerHealthSignal, IRunnerNetwork, IRunnerSecrets, IRunnerService, IUpdatePipeline } from '../interfaces';
import { type ComposedTarget, commonOutputs, composeFoundation, type FoundationBindings, type Outputs, perRunner, writeOutputs } from './foundation';

/** What every binding of a runner sees. */
export interface RunnerContext {
  readonly key: IEncryptionKey;
  readonly network: IRunnerNetwork;
  readonly alarms: IAlarmSink;
}

export interface CaasRunnerBindings extends FoundationBindings {
  /** The update pipeline of the target's runners; its bootstrap promotes each runner's release. */
  updatePipeline(context: RunnerContext & { readonly mirrors: ReadonlyMap<string, IRegistryMirror> }): IUpdatePipeline;
  runnerSecrets(runner: string, config: RunnerConfig, key: IEncryptionKey): IRunnerSecrets;
  /** One runner's service, running `image` (the bootstrapped digest from `mirror`). */
  runnerService(runner: string, config: RunnerConfig, context: RunnerContext & { readonly image: string; readonly mirror: IRegistryMirror; readonly secrets: IRunnerSecrets }): IRunnerService;
  /** Alarms on whether the runner reaches meshStack and keeps polling, from its own log lines. */
  runnerHealthSignal(runner: string, config: RunnerConfig, context: { readonly service: IRunnerService; readonly alarms: IAlarmSink }): IRunnerHealthSignal;
  /** meshcloud operators' access, when configured. */
  operatorAccess?(context: RunnerContext & { readonly updates: IUpdatePipeline; readonly services: Readonly<Record<string, IRunnerService>> }): IOperatorAccess | undefined;
  /** The platform's own outputs (e.g. the ECS cluster), beside the common ones. */
  platformOutputs?(): Outputs;
}

export interface CaasRunners extends ComposedTarget {
  readonly runners: Readonly<Record<string, { readonly secrets: IRunnerSecrets; readonly service: IRunnerService; readonly health: IRunnerHealthSignal }>>;
}

/** Composes the target's runners in `stack` from the cloud's `bindings`, and writes the common outputs. */
export function composeCaasRunners(stack: TerraformStack, target: SharedTargetConfig, bindings: CaasRunnerBindings): CaasRunners {
  const foundation = composeFoundation(bindings, Object.values(target.runners).map((r) => r.image));
  const { key, mirrors } = foundation;
  const updates = bindings.updatePipeline(foundation);

  const runners: Record<string, { secrets: IRunnerSecrets; service: IRunnerService; health: IRunnerHealthSignal }> = {};
  for (const [name, r] of Object.entries(target.runners)) {
    const secrets = bindings.runnerSecrets(name, r, key);
    const service = bindings.runnerService(name, r, { ...foundation, image: updates.bootstrapImage(name), mirror: mirrors.get(r.image)!, secrets });
    const health = bindings.runnerHealthSignal(name, r, { service, alarms: foundation.alarms });
    runners[name] = { secrets, service, health };
  }
  const services = Object.fromEntries(Object.entries(runners).map(([n, r]) => [n, r.service]));
  const operatorAccess = bindings.operatorAccess?.({ ...foundation, updates, services });
  const secretInputs = Object.values(runners).flatMap((r) => r.secrets.inputs);

  writeOutputs(stack, {
    ...bindings.platformOutputs?.(),
    runner_services: { value: perRunner(runners, (r) => r.service.serviceName), description: 'The service (ECS service, container group, worker pool) of each runner.' },
    runner_logs: { value: perRunner(runners, (r) => r.service.logs), description: 'Where each runner\'s logs are (log group, workspace, log filter).' },
    runner_secrets: { value: perRunner(runners, (r) => r.secrets.secretIds), description: 'The secret-store entries of each runner (values are never in state).' },
    ...commonOutputs({ ...foundation, updates, operatorAccess, secretInputs, runners: Object.keys(target.runners) }),
  });
  return { ...foundation, updates, runners, secretInputs, ...(operatorAccess !== undefined ? { operatorAccess } : {}) };
}
