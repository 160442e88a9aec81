/**
 * Regions per cloud, for the semantic check "region exists for the cloud". Offline lists (the kit
 * validates before any API call). Sources: AWS general reference "Regions and Zones", Azure
 * `az account list-locations` (physical regions), GCP "Regions and zones"; as of 2026-11.
 * A region missing here is rejected with a message that names this file, so adding one is a
 * one-line change.
 */
import type { Cloud } from './schema';

export const REGIONS: Readonly<Record<Cloud, readonly string[]>> = {
  aws: [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
    'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
    'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1',
    'ca-west-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-1', 'eu-central-2', 'eu-north-1',
    'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1',
    'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2',
    'us-gov-east-1', 'us-gov-west-1', 'us-west-1', 'us-west-2',
  ],
  azure: [
    'australiacentral', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral',
    'brazilsouth', 'canadacentral', 'canadaeast', 'centralindia', 'centralus', 'chilecentral',
    'eastasia', 'eastus', 'eastus2', 'francecentral', 'germanywestcentral', 'indonesiacentral',
    'israelcentral', 'italynorth', 'japaneast', 'japanwest', 'koreacentral', 'koreasouth',
    'malaysiawest', 'mexicocentral', 'newzealandnorth', 'northcentralus', 'northeurope',
    'norwayeast', 'polandcentral', 'qatarcentral', 'southafricanorth', 'southcentralus',
    'southeastasia', 'southindia', 'spaincentral', 'swedencentral', 'switzerlandnorth',
    'uaenorth', 'uksouth', 'ukwest', 'westcentralus', 'westeurope', 'westus', 'westus2', 'westus3',
  ],
  gcp: [
    'africa-south1', 'asia-east1', 'asia-east2', 'asia-northeast1', 'asia-northeast2',
    'asia-northeast3', 'asia-south1', 'asia-south2', 'asia-southeast1', 'asia-southeast2',
    'australia-southeast1', 'australia-southeast2', 'europe-central2', 'europe-north1',
    'europe-north2', 'europe-southwest1', 'europe-west1', 'europe-west10', 'europe-west12',
    'europe-west2', 'europe-west3', 'europe-west4', 'europe-west6', 'europe-west8',
    'europe-west9', 'me-central1', 'me-central2', 'me-west1', 'northamerica-northeast1',
    'northamerica-northeast2', 'northamerica-south1', 'southamerica-east1', 'southamerica-west1',
    'us-central1', 'us-east1', 'us-east4', 'us-east5', 'us-south1', 'us-west1', 'us-west2',
    'us-west3', 'us-west4',
  ],
};
