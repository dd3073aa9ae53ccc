// The events of a proposal's changes: proposal.created {client_id, status},
// proposal.status_changed {client_id, from, to} when its status moves, and
// proposal.updated {changes} when anything else changed too.
import type { ResourceEvents } from '@analytics-engine/http';
import type { ServiceProposal } from '@analytics-engine/storage';

export const proposalEvents: ResourceEvents<ServiceProposal> = {
  prefix: 'proposal',
  idMember: 'proposal_id',
  created: (proposal) => ({ client_id: proposal.client_id, status: proposal.status }),
  deleted: (proposal) => ({ client_id: proposal.client_id }),
  updated: (before, after, changes) => {
    const others = changes.filter((name) => name !== 'status');
    return [
      ...(before.status === after.status
        ? []
        : [
            {
              type: 'proposal.status_changed',
              body: { client_id: after.client_id, from: before.status, to: after.status },
            },
          ]),
      ...(others.length === 0
        ? []
        : [
            {
              type: 'proposal.updated',
              body: { client_id: after.client_id, changes: others, timestamp: new Date().toISOString() },
            },
          ]),
    ];
  },
};
