export { LgtmNetworkPolicies } from './network-policies';
export type { LgtmNetworkPoliciesProps, NetworkPolicyAdmission } from './network-policies';
