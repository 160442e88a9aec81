/** OCI distribution adapter of the updater: registry client, auth providers and promotion. */
export {
  anonymousAuth,
  basicAuth,
  basicAuthFromEcrToken,
  parseChallenge,
  staticBearerAuth,
  type AuthChallenge,
  type AuthProvider,
  type AuthorizationRequest,
  type BasicChallenge,
  type BearerChallenge,
} from './auth';
export { DigestMismatchError, RegistryError, TagConflictError, TransportError, isNotFound, isTransient } from './errors';
export type { ManifestMediaType, Platform } from './media-types';
export {
  promote,
  type PlatformSelection,
  type PromoteOptions,
  type PromotionResult,
  type PromotionSource,
  type PromotionTarget,
} from './promote';
export {
  OciRegistryClient,
  type BlobCopyOutcome,
  type FetchedManifest,
  type ListTagsOptions,
  type OciRegistryClientOptions,
} from './registry-client';
