/**
 * The target's customer-managed key in Cloud KMS: a key ring and a symmetric key in the target's
 * region, rotating every 90 days (CKV_GCP_43), used by Secret Manager, Artifact Registry, Cloud
 * Storage and Cloud Run. Each of those services encrypts through its own service agent, which gets
 * `roles/cloudkms.cryptoKeyEncrypterDecrypter` on this key only (`grantEncryptDecrypt`).
 *
 * Bring your own key (`encryption.existingKeyId`): the kit creates no key ring or key and adds only
 * the service agents' grants to the key you bring (additive members; nothing of yours is replaced).
 *
 * Key rings and keys cannot be deleted in GCP: a destroyed target leaves its key (versions
 * scheduled for destruction) and the names stay taken.
 */
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IEncryptionKey } from '../core/interfaces';
import { GcpContext } from './gcp-context';
import { cryptoKeyName, keyRingName } from './gcp-names';

/** 90 days, the longest rotation CKV_GCP_43 accepts. */
export const KEY_ROTATION_PERIOD = '7776000s';
export const ENCRYPTER_DECRYPTER_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

export interface RunnerKeyProps {
  readonly target: string;
  /** A key to use instead of creating one. @default - the kit creates a key ring and key */
  readonly existingKeyId?: string;
}

export class RunnerKey extends Construct implements IEncryptionKey {
  readonly keyReference: string;
  private readonly grants = new Map<string, KmsCryptoKeyIamMember>();

  constructor(scope: Construct, id: string, props: RunnerKeyProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    if (props.existingKeyId !== undefined) {
      this.keyReference = props.existingKeyId;
      return;
    }
    const ring = new KmsKeyRing(this, 'KeyRing', { name: keyRingName(props.target), location: ctx.region, project: ctx.projectId, dependsOn: [...ctx.apis] });
    const key = new KmsCryptoKey(this, 'Resource', {
      name: cryptoKeyName(props.target),
      keyRing: ring.id,
      purpose: 'ENCRYPT_DECRYPT',
      rotationPeriod: KEY_ROTATION_PERIOD,
      versionTemplate: { algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION', protectionLevel: 'SOFTWARE' },
    });
    this.keyReference = key.id;
  }

  /** Lets `member` (a service agent) encrypt and decrypt with this key; one grant per member. */
  grantEncryptDecrypt(id: string, member: string): ITerraformDependable {
    const existing = this.grants.get(member);
    if (existing !== undefined) return existing;
    const grant = new KmsCryptoKeyIamMember(this, `Grant-${id}`, { cryptoKeyId: this.keyReference, role: ENCRYPTER_DECRYPTER_ROLE, member });
    this.grants.set(member, grant);
    return grant;
  }
}
