// Proposals name a client by client_id, and the table has no foreign key (the
// guide's DDL stays as it is), so the service keeps the reference sound, race-free:
//
// - a write that names a client reads it with FOR SHARE inside the write's
//   transaction, so the client cannot be deleted until that write commits;
// - a client delete locks the client FOR UPDATE first, so no proposal can name
//   it meanwhile, then looks for proposals (each statement sees what committed
//   before it) and refuses, or deletes them too when asked to.
//
// Locks are always taken client first, then proposal, so these never deadlock.
import { ApiError } from '@analytics-engine/http';
import {
  createClientConfigRepository,
  createServiceProposalRepository,
  MAX_PAGE_SIZE,
  NotFoundError,
  VersionMismatchError,
  type ClientConfig,
  type ServiceProposal,
  type StoredDocument,
} from '@analytics-engine/storage';

/** The database, or a transaction of it: what the repositories take. */
export type Executor = Parameters<typeof createClientConfigRepository>[0];

/**
 * Inside a transaction: the client, held until it ends ('update' when the write
 * changes the client too); or 422 UNKNOWN_CLIENT.
 */
export async function requireClient(
  trx: Executor,
  clientId: string,
  lock: 'share' | 'update' = 'share',
): Promise<StoredDocument<ClientConfig>> {
  const client = await createClientConfigRepository(trx).get(clientId, { lock });
  if (!client) {
    const message = `client_id '${clientId}' names no client: create it with POST /demo/clients first`;
    throw new ApiError(422, 'UNKNOWN_CLIENT', message, [{ path: 'body.client_id', message: 'names no client' }]);
  }
  return client;
}

export interface DeleteClientOptions {
  /** Delete the client's proposals with it, in the same transaction. */
  readonly cascade: boolean;
  readonly ifVersion?: string | undefined;
}

export interface DeletedClient {
  readonly client: StoredDocument<ClientConfig>;
  readonly deletedProposals: readonly StoredDocument<ServiceProposal>[];
}

/** Inside a transaction: NotFoundError, VersionMismatchError, or 409 CLIENT_HAS_PROPOSALS without cascade. */
export async function deleteClient(
  trx: Executor,
  clientId: string,
  options: DeleteClientOptions,
): Promise<DeletedClient> {
  const clients = createClientConfigRepository(trx);
  const current = await clients.get(clientId, { lock: 'update' });
  if (!current) throw new NotFoundError('client_configs', clientId);
  if (options.ifVersion !== undefined && options.ifVersion !== current.version) {
    throw new VersionMismatchError('client_configs', clientId, current.version);
  }
  const proposals = createServiceProposalRepository(trx);
  let deletedProposals: StoredDocument<ServiceProposal>[] = [];
  if (options.cascade) {
    deletedProposals = await deleteProposalsOf(proposals, clientId);
  } else {
    const { items } = await proposals.list({ client_id: clientId, limit: 1 });
    const [example] = items;
    if (example) {
      const message =
        `client '${clientId}' still has proposals (e.g. '${example.key}'): delete them first, ` +
        `or delete with ?cascade=true to remove the client and its proposals together`;
      throw new ApiError(409, 'CLIENT_HAS_PROPOSALS', message);
    }
  }
  return { client: await clients.delete(clientId), deletedProposals };
}

/**
 * Deletes every proposal naming the client. Each delete is conditional on the
 * version listed, so a proposal moved to another client meanwhile is left alone;
 * listing again until none is left picks up the rest.
 */
async function deleteProposalsOf(
  proposals: ReturnType<typeof createServiceProposalRepository>,
  clientId: string,
): Promise<StoredDocument<ServiceProposal>[]> {
  const deleted: StoredDocument<ServiceProposal>[] = [];
  for (;;) {
    const { items } = await proposals.list({ client_id: clientId, limit: MAX_PAGE_SIZE });
    if (items.length === 0) return deleted;
    for (const item of items) {
      try {
        deleted.push(await proposals.delete(item.key, { ifVersion: item.version }));
      } catch (error) {
        if (!(error instanceof NotFoundError || error instanceof VersionMismatchError)) throw error;
      }
    }
  }
}
