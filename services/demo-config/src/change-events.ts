// The events of Demo Config's changes. Clients: config.created, config.updated
// {changes, timestamp}, config.deleted. Proposals: proposal.created {client_id,
// status}, proposal.status_changed {client_id, from, to} when the status moves,
// proposal.updated {changes} when anything else changed too, proposal.deleted;
// the licence an acceptance issues or a revocation ends: license.issued and
// license.revoked {license_id, client_id}, on the proposal that holds it.
import { updatedBody, type ChangeEvent, type ResourceEvents } from '@analytics-engine/http';
import type { ClientConfig, ServiceProposal } from '@analytics-engine/storage';
import type { ProposalLicense } from './proposal-acceptance.js';

export const clientEvents: ResourceEvents<ClientConfig> = { prefix: 'config', idMember: 'client_id' };

export const proposalEvents: ResourceEvents<ServiceProposal> = {
  prefix: 'proposal',
  idMember: 'proposal_id',
  created: (proposal) => ({ client_id: proposal.client_id, status: proposal.status }),
  deleted: (proposal) => ({ client_id: proposal.client_id }),
  updated: (before, after, changes) => {
    const events: ChangeEvent[] = [];
    const event = (type: string, body: Record<string, unknown>) =>
      events.push({ type, body: { client_id: after.client_id, ...body } });
    if (before.status !== after.status) event('proposal.status_changed', { from: before.status, to: after.status });
    const others = changes.filter((name) => name !== 'status' && name !== 'license');
    if (others.length > 0) event('proposal.updated', updatedBody(others));
    const licenseOf = (proposal: ServiceProposal) => (proposal as { license?: ProposalLicense }).license;
    const [was, is] = [licenseOf(before), licenseOf(after)];
    if (is && !was) event('license.issued', { license_id: is.jti, key_id: is.key_id, expires_at: is.expires_at });
    if (is?.revoked_at && !was?.revoked_at) event('license.revoked', { license_id: is.jti, revoked_at: is.revoked_at });
    return events;
  },
};
