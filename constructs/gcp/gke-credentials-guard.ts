/**
 * Stops a GKE workload deploy that would write run-controller's credentials Secret empty.
 *
 * On GKE the workload stack writes each runner's Secret from ephemeral variables (google 6.50.0
 * cannot read Secret Manager ephemerally), only when the runner's credentials revision moves. A
 * first deploy (or a bump) without the variables would create the Secret empty, and with the
 * revision recorded as written the values could then only be sent by bumping again. So, as the
 * Cloud Run secrets do with their label-only records:
 * - a ConfigMap `runner-kit-credentials-written` records, per runner, the revision last written
 *   (it holds revision numbers only, never a value), updated after the Secrets;
 * - at plan time a data source reads it (absent on a first deploy: no revision), and a precondition
 *   on each Secret requires all three variables unless that revision is recorded: the plan stops
 *   before anything is created, naming the variables.
 */
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DataKubernetesConfigMapV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-config-map-v1';
import type { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { secretVariableNames } from '../core/naming';
import { kitLabels } from '../kubernetes/labels';
import type { RunnerWorkload } from '../kubernetes/runner-workload';

export const CREDENTIALS_RECORD_NAME = 'runner-kit-credentials-written';

export interface GkeCredentialsGuardProps {
  readonly workload: RunnerWorkload;
  /** The runner namespace as configured (a literal: the record is read before the namespace exists). */
  readonly namespace: string;
  /** Each runner's credentials revision (as the workload writes it) and its three variables' references. */
  readonly runners: Readonly<Record<string, { readonly revision: number; readonly values: readonly string[] }>>;
}

export class GkeCredentialsGuard extends Construct {
  constructor(scope: Construct, id: string, props: GkeCredentialsGuardProps) {
    super(scope, id);
    const recorded = new DataKubernetesConfigMapV1(this, 'Recorded', { metadata: { name: CREDENTIALS_RECORD_NAME, namespace: props.namespace } });
    const secrets: SecretV1[] = [];
    for (const [runner, r] of Object.entries(props.runners)) {
      const secret = props.workload.controllers[runner]?.node.tryFindChild('Credentials') as SecretV1 | undefined;
      if (secret === undefined) throw new Error(`runner ${runner}: the workload wrote no credentials Secret to guard`);
      secrets.push(secret);
      const vars = secretVariableNames(runner);
      const allSet = r.values.map((v) => Op.gte(Fn.lengthOf(v), 1)).reduce((a, b) => Op.and(a, b));
      // `coalesce(..., {})`: the data source's map is null when the record does not exist yet; the
      // default must not be "" (cdktf drops falsy operands, and a lookup without one fails on a missing key).
      const written = Op.eq(Fn.lookup(Fn.coalesce([recorded.data, {}]), runner, 'none'), String(r.revision));
      secret.addOverride('lifecycle.precondition', [
        {
          condition: Token.asString(Op.or(allSet, written)),
          error_message:
            `TF_VAR_${vars.apiClientSecret}, TF_VAR_${vars.privateKey} and TF_VAR_${vars.certificate} must all be set: revision ${r.revision} of runner ${runner}'s credentials ` +
            `has not been written to its Kubernetes Secret yet (a first deploy, or apiClientSecretVersion / privateKeyVersion was bumped). Nothing was changed. ` +
            'Set them (the same values as for the cluster stack; README: Supplying secrets) and deploy again.',
        },
      ]);
    }
    new ConfigMapV1(this, 'Resource', {
      metadata: { name: CREDENTIALS_RECORD_NAME, namespace: props.workload.namespace, labels: kitLabels(CREDENTIALS_RECORD_NAME) },
      data: Object.fromEntries(Object.entries(props.runners).map(([runner, r]) => [runner, String(r.revision)])),
      dependsOn: secrets,
    });
  }
}
