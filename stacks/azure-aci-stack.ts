/**
 * A private meshStack runner on Azure Container Instances: the Azure set-up (provider, backend,
 * resource group), the cloud-neutral CaaS composition with the ACI bindings, and the Azure rule
 * pack. No resource logic here.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { aciBindings } from '../constructs/azure/aci-bindings';
import type { AzureTargetConfig } from '../constructs/azure/config';
import { applyAzureRulePack } from '../constructs/azure/rules';
import { composeCaasRunners, type CaasRunners } from '../constructs/core/compositions/caas-runners';
import { configureAzureStack } from './azure-stack';

export interface AzureAciStackProps {
  readonly target: AzureTargetConfig;
}

export class AzureAciStack extends TerraformStack {
  readonly runners: CaasRunners;

  constructor(scope: Construct, name: string, props: AzureAciStackProps) {
    super(scope, name);
    const setup = configureAzureStack(this, name, props.target);
    this.runners = composeCaasRunners(this, props.target, aciBindings(this, name, props.target, setup));
    applyAzureRulePack(this);
  }
}
