import type { ImageMirror } from '../../../updater/core/ports';
import { releaseMirror } from '../../../updater/core/release-mirror';

function recordingMirror(name: string, log: string[]): ImageMirror {
  return {
    promote: async (version) => {
      log.push(`${name}@${version}`);
      return `sha256:${name}`;
    },
    imageReference: (digest) => `mirror/${name}@${digest}`,
  };
}

describe('releaseMirror', () => {
  it('promotes the companion (job) images before the main (controller) image, and returns the main digest', async () => {
    const log: string[] = [];
    const release = releaseMirror(recordingMirror('run-controller', log), [
      { name: 'TERRAFORM', mirror: recordingMirror('tf-block-runner', log) },
      { name: 'MANUAL', mirror: recordingMirror('manual-block-runner', log) },
    ]);
    expect(await release.mirror.promote('v1.3.0')).toBe('sha256:run-controller');
    expect(log.at(-1)).toBe('run-controller@v1.3.0');
    expect(log.slice(0, 2).sort()).toEqual(['manual-block-runner@v1.3.0', 'tf-block-runner@v1.3.0']);
    expect(release.mirror.imageReference('sha256:x')).toBe('mirror/run-controller@sha256:x');
  });

  it('names each companion image by digest', async () => {
    const release = releaseMirror(recordingMirror('run-controller', []), [{ name: 'TERRAFORM', mirror: recordingMirror('tf-block-runner', []) }]);
    expect(await release.companionImages('v1.3.0')).toEqual({ TERRAFORM: 'mirror/tf-block-runner@sha256:tf-block-runner' });
  });

  it('GIVEN a companion fails to promote THEN the main image is not promoted', async () => {
    const log: string[] = [];
    const failing: ImageMirror = { promote: async () => Promise.reject(new Error('manifest unknown')), imageReference: (d) => d };
    const release = releaseMirror(recordingMirror('run-controller', log), [{ name: 'TERRAFORM', mirror: failing }]);
    await expect(release.mirror.promote('v1.3.0')).rejects.toThrow('manifest unknown');
    expect(log).toEqual([]);
  });
});
