/**
 * A private meshStack runner on GCP Cloud Run worker pools: the GCP set-up (provider, backend,
 * labels), the cloud-neutral CaaS composition with the Cloud Run bindings, and the GCP rule pack.
 * No resource logic here.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { cloudRunBindings } from '../constructs/gcp/cloudrun-bindings';
import type { GcpTargetConfig } from '../constructs/gcp/config';
import { applyGcpRulePack } from '../constructs/gcp/rules';
import { composeCaasRunners, type CaasRunners } from '../constructs/core/compositions/caas-runners';
import { configureGcpStack } from './gcp-stack';

export interface GcpCloudRunStackProps {
  readonly target: GcpTargetConfig;
}

export class GcpCloudRunStack extends TerraformStack {
  readonly runners: CaasRunners;

  constructor(scope: Construct, name: string, props: GcpCloudRunStackProps) {
    super(scope, name);
    configureGcpStack(this, name, props.target);
    this.runners = composeCaasRunners(this, props.target, cloudRunBindings(this, name, props.target));
    applyGcpRulePack(this);
  }
}
