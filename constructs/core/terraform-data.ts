/**
 * Terraform's built-in `terraform_data` resource (a managed lifecycle with no provider, e.g. for a
 * `local-exec` step that must run once per change of its triggers).
 *
 * Not cdktf's `DataResource`: that class adds a validation that runs `terraform version` in a shell
 * at synthesis, once per instance, so synthesis fails on a machine without terraform on its PATH
 * (where `runner-kit validate`, the tests and an onboarding script synthesize) and pays a process
 * per instance. The Terraform version the kit's stacks need is stated once per stack instead
 * (`TERRAFORM_REQUIRED_VERSION` in `required_version`), which Terraform itself enforces at init.
 */
import { TerraformResource, anyToTerraform, hashMapper, type ITerraformDependable, type TerraformResourceLifecycle } from 'cdktf';
import type { Construct } from 'constructs';

/** Write-only arguments (`value_wo`, `data_wo`, `secret_data_wo`) need Terraform 1.11; ephemeral resources 1.10. */
export const TERRAFORM_REQUIRED_VERSION = '>= 1.11.0';

export interface TerraformDataProps {
  /** Stored in state and shown as `output` after apply. */
  readonly input?: Readonly<Record<string, unknown>>;
  /** A change of any value replaces the resource (and so runs its provisioners again). */
  readonly triggersReplace?: Readonly<Record<string, unknown>>;
  readonly dependsOn?: ITerraformDependable[];
  readonly lifecycle?: TerraformResourceLifecycle;
}

export class TerraformData extends TerraformResource {
  private readonly input?: Readonly<Record<string, unknown>>;
  private readonly triggersReplace?: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: TerraformDataProps = {}) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      ...(props.dependsOn !== undefined ? { dependsOn: props.dependsOn } : {}),
      ...(props.lifecycle !== undefined ? { lifecycle: props.lifecycle } : {}),
    });
    this.input = props.input;
    this.triggersReplace = props.triggersReplace;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {
      input: hashMapper(anyToTerraform)(this.input),
      triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace),
    };
  }
}
