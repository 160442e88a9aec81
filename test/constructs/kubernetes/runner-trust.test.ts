/**
 * Trust on Kubernetes: extra CAs reach the run Jobs where the image's entrypoint imports them and
 * run-controller through SSL_CERT_DIR; known hosts reach TERRAFORM Jobs' ~/.ssh. Checked on the
 * synthesized EKS workload stack, against run-controller's config shape (config.go v1.3.0).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { exampleEksTarget, synthEks } from '../../support/eks';
import { kubernetesObjects, schemaErrors } from '../../support/kubernetes-objects';
import { REPO_ROOT, type Json } from '../../support/synth';
import { TEST_CA_PEM, TEST_KNOWN_HOSTS } from '../../support/trust-material';

const IMAGE = JSON.parse(readFileSync(path.join(REPO_ROOT, 'data', 'runner-image', 'tf-block-runner.json'), 'utf8')) as { user: { home: string }; trust: { customCaDir: string } };

function workloadOf(trust?: Json, implementations?: string[]) {
  const { config } = exampleEksTarget((t) => {
    if (trust !== undefined) t.trust = trust;
    if (implementations !== undefined) t.kubernetes.implementations = implementations;
  });
  const { workload } = synthEks(config);
  const configMaps = Object.values(workload.json.resource.kubernetes_config_map_v1 as Record<string, Json>);
  const byName = (name: string) => configMaps.find((c) => c.metadata.name === name)!;
  const deployment = Object.values(workload.json.resource.kubernetes_deployment_v1 as Record<string, Json>)[0]!;
  const controllerConfig = parse(byName('run-controller-default').data['config.yaml']) as Json;
  return { workload, byName, deployment, controllerConfig };
}

describe('trust on Kubernetes', () => {
  it('GIVEN CAs and known hosts THEN two ConfigMaps hold them, public material (no Secret)', () => {
    const { byName } = workloadOf({ caCertificates: TEST_CA_PEM, sshKnownHosts: TEST_KNOWN_HOSTS });
    expect(byName('runner-kit-trusted-ca').data).toEqual({ 'private-runner-kit-extra-ca.crt': `${TEST_CA_PEM}\n` });
    expect(byName('runner-kit-known-hosts').data).toEqual({ known_hosts: `${TEST_KNOWN_HOSTS}\n` });
  });

  it('without trust the ConfigMaps exist empty, and the Jobs mount them all the same (adding CAs later needs no config change)', () => {
    const { byName, controllerConfig } = workloadOf();
    expect(byName('runner-kit-trusted-ca').data).toEqual({});
    expect(byName('runner-kit-known-hosts').data).toEqual({});
    expect(controllerConfig.implementations.TERRAFORM.extraVolumes).toHaveLength(2);
  });

  it('every Job mounts the CAs where the image\'s entrypoint imports them; TERRAFORM Jobs also mount the known hosts at ~/.ssh (run-controller config shape)', () => {
    const { controllerConfig } = workloadOf({ caCertificates: TEST_CA_PEM }, ['TERRAFORM', 'GITHUB_WORKFLOW']);
    expect(controllerConfig.implementations.TERRAFORM).toMatchObject({
      extraVolumes: [
        { name: 'kit-trusted-ca', configMap: { name: 'runner-kit-trusted-ca' } },
        { name: 'kit-known-hosts', configMap: { name: 'runner-kit-known-hosts' } },
      ],
      extraVolumeMounts: [
        { name: 'kit-trusted-ca', mountPath: IMAGE.trust.customCaDir, readOnly: true },
        { name: 'kit-known-hosts', mountPath: `${IMAGE.user.home}/.ssh`, readOnly: true },
      ],
    });
    expect(controllerConfig.implementations.GITHUB_WORKFLOW.extraVolumes).toEqual([{ name: 'kit-trusted-ca', configMap: { name: 'runner-kit-trusted-ca' } }]);
    // Only the keys run-controller's ExtraVolume / ExtraVolumeMount know (config.go:88-115): no subPath, items or defaultMode.
    for (const impl of Object.values(controllerConfig.implementations as Record<string, Json>)) {
      for (const v of impl.extraVolumes) expect(Object.keys(v).sort()).toEqual(['configMap', 'name']);
      for (const m of impl.extraVolumeMounts) expect(Object.keys(m).sort()).toEqual(['mountPath', 'name', 'readOnly']);
    }
  });

  it('run-controller (read-only root) reads the CAs through SSL_CERT_DIR beside the system bundle, and rolls when they change', () => {
    const a = workloadOf({ caCertificates: TEST_CA_PEM }).deployment;
    const b = workloadOf().deployment;
    const spec = a.spec.template.spec;
    const controller = spec.container[0];
    expect(controller.env).toContainEqual({ name: 'SSL_CERT_DIR', value: '/etc/ssl/runner-kit-ca:/etc/ssl/certs' });
    expect(controller.volume_mount).toContainEqual({ name: 'trusted-ca', mount_path: '/etc/ssl/runner-kit-ca', read_only: true });
    expect(controller.volume_mount.map((m: Json) => m.mount_path)).not.toContain(IMAGE.trust.customCaDir);
    expect(spec.volume).toContainEqual({ name: 'trusted-ca', config_map: { name: expect.stringMatching(/kubernetes_config_map_v1\.Workload_Trust_TrustedCa_/), default_mode: '0444' } });
    expect(a.spec.template.metadata.annotations['private-runner-kit/trust-revision']).not.toBe(b.spec.template.metadata.annotations['private-runner-kit/trust-revision']);
  });

  it('every object still validates against the Kubernetes schemas', () => {
    expect(schemaErrors(kubernetesObjects(workloadOf({ caCertificates: TEST_CA_PEM, sshKnownHosts: TEST_KNOWN_HOSTS }).workload))).toEqual({});
  });
});
