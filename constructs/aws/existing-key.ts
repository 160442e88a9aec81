/**
 * A bring-your-own KMS key (`encryption.existingKeyId`): the kit reads it and never changes it (no
 * key policy, alias, rotation or deletion of a key it did not create). The plan stops, before any
 * change, unless the key is an enabled, customer-managed, symmetric encryption key: the kinds CloudWatch
 * Logs, Secrets Manager, SNS and ECR accept. Its key policy must contain
 * `kitKeyPolicyStatements` (README: Bring your own key); AWS answers AccessDenied on the first
 * log group otherwise, which the plan cannot see (no API reads a key policy without
 * kms:GetKeyPolicy on a key the deployer may not administer).
 */
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { Construct } from 'constructs';
import type { IEncryptionKey } from '../core/interfaces';

export interface ExistingKeyProps {
  /** The key's ARN (config validation checks the form, region and account). */
  readonly keyArn: string;
}

/** What the plan checks of the key, as a Terraform condition over the data source (`self`). */
export const EXISTING_KEY_CONDITION =
  '${self.enabled && self.key_manager == "CUSTOMER" && self.key_usage == "ENCRYPT_DECRYPT" && self.customer_master_key_spec == "SYMMETRIC_DEFAULT"}';

export class ExistingKey extends Construct implements IEncryptionKey {
  readonly keyArn: string;
  get keyReference(): string {
    return this.keyArn;
  }

  constructor(scope: Construct, id: string, props: ExistingKeyProps) {
    super(scope, id);
    const key = new DataAwsKmsKey(this, 'Resource', {
      keyId: props.keyArn,
      lifecycle: {
        postcondition: [
          {
            condition: EXISTING_KEY_CONDITION,
            errorMessage:
              `encryption.existingKeyId (${props.keyArn}) must be an enabled, customer-managed, symmetric encryption key (KeyManager CUSTOMER, KeyUsage ENCRYPT_DECRYPT, ` +
              'KeySpec SYMMETRIC_DEFAULT): CloudWatch Logs, Secrets Manager, SNS and ECR accept no other. Nothing was changed. Enable the key, or bring another one, or remove encryption.existingKeyId to let the kit create one.',
          },
        ],
      },
    });
    // Read at plan (its input is a literal), so the ARN is known at plan and every user of the key
    // waits for the check.
    this.keyArn = key.arn;
  }
}
