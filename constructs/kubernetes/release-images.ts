/**
 * The upstream images of a runner's release on Kubernetes, the same on every cloud: run-controller
 * plus one job image per implementation type (TERRAFORM runs the runner's own image), all at the
 * runner's version. Each distinct image gets one mirror repository.
 */
import { IMPLEMENTATION_IMAGES, type ImplementationType } from './run-controller-config';

/** The parts of a target the images depend on. */
export interface ImagesOfTarget {
  readonly runners: Readonly<Record<string, { readonly image: string }>>;
  readonly kubernetes?: { readonly controllerImage: string; readonly implementations: readonly string[] };
}

/** run-controller's image and each implementation's job image for `runner`. */
export function releaseImagesOf(t: ImagesOfTarget, runner: string): { controller: string; implementations: Partial<Record<ImplementationType, string>> } {
  const k = t.kubernetes;
  const r = t.runners[runner];
  if (k === undefined || r === undefined) throw new Error(`runner ${runner}: no Kubernetes release (the target has no kubernetes block or no such runner)`);
  return {
    controller: k.controllerImage,
    implementations: Object.fromEntries(k.implementations.map((type) => [type, type === 'TERRAFORM' ? r.image : IMPLEMENTATION_IMAGES[type as ImplementationType]])),
  };
}

/** Every distinct upstream image of the target (one mirror each): the runners' images, or on Kubernetes every release image. */
export function mirroredImagesOf(t: ImagesOfTarget): string[] {
  if (t.kubernetes === undefined) return [...new Set(Object.values(t.runners).map((r) => r.image))];
  const all = Object.keys(t.runners).flatMap((runner) => {
    const u = releaseImagesOf(t, runner);
    return [u.controller, ...Object.values(u.implementations)];
  });
  return [...new Set(all)];
}
