/** The outputs every target kind writes, with the same names on every cloud (`commonOutputs` in the compositions). */
export const COMMON_OUTPUTS = [
  'network_id',
  'runner_subnet_ids',
  'nat_egress_ips',
  'encryption_key',
  'alarm_sink',
  'mirror_repositories',
  'updater_name',
  'runner_version_records',
  'runner_bootstrap_versions',
  'secret_inputs',
  'operator_access',
] as const;
