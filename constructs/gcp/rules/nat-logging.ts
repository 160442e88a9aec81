/** GCP-NET-2 (kit-only): Cloud NAT logs its translations. */
import { block, readBoolean } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const NAT_LOGGING: Rule = {
  id: 'GCP-NET-2',
  title: 'Cloud NAT logging is on',
  why: 'NAT logs tie every connection leaving through the customer-visible egress IP to the runner that opened it; without them an allow-listed IP cannot be traced back.',
  fix: 'Set log_config { enable = true, filter = "ALL" } on the router NAT (RunnerNetwork does).',
  publicIds: [],
  appliesTo: ['google_compute_router_nat'],
  check: (nat) => {
    const config = block(nat.body.log_config);
    const enabled = readBoolean(config?.enable);
    return enabled.kind === 'literal' && enabled.value ? compliant() : nonCompliant('the NAT has no log_config with enable = true');
  },
};
