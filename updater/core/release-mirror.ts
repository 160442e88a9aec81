/**
 * What "a release" is for a runner whose deployment runs more than one image: on Kubernetes,
 * run-controller plus one job image per implementation type, all at the same tag. Promoting the
 * release promotes every image; the job images go first, so a controller is never rolled out
 * pointing at a job image the mirror does not hold. Cloud-neutral: every Kubernetes platform
 * (EKS, AKS, GKE) composes its mirrors this way.
 */
import type { ImageMirror } from './ports';

export interface CompanionImage {
  /** What the image is for, e.g. the implementation type `TERRAFORM`. */
  readonly name: string;
  readonly mirror: ImageMirror;
}

export interface ReleaseMirror {
  /** Promotes every image of `version`; returns the main image's digest (what the version record holds). */
  readonly mirror: ImageMirror;
  /** Promotes (idempotently) and returns the by-digest reference of each companion image at `version`, by name. */
  companionImages(version: string): Promise<Record<string, string>>;
}

export function releaseMirror(main: ImageMirror, companions: readonly CompanionImage[]): ReleaseMirror {
  const companionImages = async (version: string): Promise<Record<string, string>> =>
    Object.fromEntries(await Promise.all(companions.map(async (c) => [c.name, c.mirror.imageReference(await c.mirror.promote(version))] as const)));
  return {
    mirror: {
      promote: async (version) => {
        await companionImages(version);
        return main.promote(version);
      },
      imageReference: (digest) => main.imageReference(digest),
    },
    companionImages,
  };
}
