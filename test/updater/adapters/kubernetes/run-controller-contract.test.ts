/**
 * The adapter's defaults name what the kit's RunController construct creates. The construct keeps
 * these names as literals in a file that imports cdktf (which the updater's Lambda bundle must not
 * load), so the contract is checked on the construct's source text: renaming one side fails here.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_HASH_ANNOTATION, DEFAULT_CONFIG_KEY, DEFAULT_CONTROLLER_CONTAINER } from '../../../../updater/adapters/kubernetes/kubernetes-runner-deployment';

const source = readFileSync(path.join(__dirname, '../../../../constructs/kubernetes/run-controller.ts'), 'utf8');

describe('contract with constructs/kubernetes/run-controller.ts', () => {
  it('the pod-template annotation holds the sha256 of the ConfigMap key the adapter edits', () => {
    expect(source).toContain(`'${CONFIG_HASH_ANNOTATION}': Fn.sha256(Fn.lookup(configMap.data, '${DEFAULT_CONFIG_KEY}', ''))`);
    expect(source).toContain(`data: { '${DEFAULT_CONFIG_KEY}': this.configYaml }`);
  });

  it('the controller container has the default name, and the ConfigMap the Deployment\'s name', () => {
    expect(source).toContain(`name: '${DEFAULT_CONTROLLER_CONTAINER}',\n                image: props.image,`);
    expect(source).toMatch(/new ConfigMapV1\(this, 'Config', \{\n\s+metadata: \{ name: props\.name,/);
    expect(source).toMatch(/this\.deployment = new DeploymentV1\(this, 'Resource', \{\n\s+metadata: \{ name: props\.name,/);
  });
});
