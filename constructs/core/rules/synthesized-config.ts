/**
 * A read-only view of one stack's synthesized Terraform JSON (what `cdk.tf.json` holds), the input
 * every rule judges. Resources are addressed as Terraform does: `aws_vpc.Network_1C6012B5`, data
 * sources as `data.aws_iam_policy_document.Trust_0A1B2C3D`.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export interface TerraformResourceView {
  readonly kind: 'resource' | 'data';
  /** Terraform type, e.g. `aws_vpc` (without `data.` for data sources). */
  readonly type: string;
  /** Logical name (the key in the JSON). */
  readonly name: string;
  /** `aws_vpc.Network_1C6012B5` or `data.aws_partition.Partition`. */
  readonly address: string;
  /** Arguments as synthesized (snake_case; references as `${...}` strings). */
  readonly body: JsonObject;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export class SynthesizedConfig {
  /** The JSON of `stack.toTerraform()` / `Testing.synth(stack)`, or a hand-written fragment. */
  static fromJson(json: unknown): SynthesizedConfig {
    if (!isObject(json)) throw new Error(`synthesized Terraform configuration must be a JSON object, got ${typeof json}`);
    return new SynthesizedConfig(json);
  }

  private readonly views: readonly TerraformResourceView[];
  private readonly byAddress: ReadonlyMap<string, TerraformResourceView>;

  private constructor(readonly json: JsonObject) {
    const views: TerraformResourceView[] = [];
    const collect = (kind: 'resource' | 'data', section: JsonValue | undefined) => {
      if (!isObject(section)) return;
      for (const type of Object.keys(section).sort()) {
        const byName = section[type];
        if (!isObject(byName)) continue;
        for (const name of Object.keys(byName).sort()) {
          const body = byName[name];
          if (!isObject(body)) continue;
          views.push({ kind, type, name, address: kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`, body });
        }
      }
    };
    collect('resource', json.resource);
    collect('data', json.data);
    this.views = views;
    this.byAddress = new Map(views.map((v) => [v.address, v]));
  }

  /** Every resource and data source, resources first, each group sorted by type and name. */
  all(): readonly TerraformResourceView[] {
    return this.views;
  }

  /** Resources of `type`, or data sources when `type` is `data.<type>`. */
  ofType(type: string): readonly TerraformResourceView[] {
    const data = type.startsWith('data.');
    const bare = data ? type.slice('data.'.length) : type;
    return this.views.filter((v) => v.type === bare && (v.kind === 'data') === data);
  }

  /** The resource or data source at `address`, if the stack has it. */
  get(address: string): TerraformResourceView | undefined {
    return this.byAddress.get(address);
  }
}
