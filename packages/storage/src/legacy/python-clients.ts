// A client configuration as the Python Demo Config service stored it
//   {id, client_id, client_name, selected_kpis, custom_kpis, data_sources,
//    deployment_config, license_key, license_expiration, created_at, updated_at}
// Its platform members are members of the current document as they are; what
// is left (its own id, its timestamps) salvage keeps under `legacy`.
import type { JsonObject } from '../repositories/json-merge-patch.js';

export function fromPythonClient(key: string, data: JsonObject): JsonObject {
  const client: JsonObject = { ...data };
  if (client.client_id === key) delete client.client_id; // the row's key, returned as client_id
  return client;
}
