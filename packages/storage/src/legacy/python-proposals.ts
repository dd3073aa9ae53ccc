// A service proposal as the Python Demo Config service stored it
//   {id, client_id, required_objects, integration_method, estimated_hours,
//    estimated_cost, timeline_weeks, status: draft|sent|signed|rejected,
//    breakdown: {kpi_count, object_count, hours_per_object, hourly_rate, phases}, created_at}
// renamed to the current members where the meaning is the same. A member whose
// place is taken (pricing.total already set, say) stays, and salvage keeps it.
import { isJsonObject, type JsonObject } from '../repositories/json-merge-patch.js';

export function fromPythonProposal(key: string, data: JsonObject): JsonObject {
  const proposal: JsonObject = { ...data };
  if (proposal.id === key) delete proposal.id; // the row's key, returned as proposal_id
  if (proposal.status === 'signed') proposal.status = 'accepted';
  proposal.status ??= 'draft'; // the schema's default: absent means draft
  moveInto(proposal, 'estimated_cost', 'pricing', 'total');
  moveInto(proposal, 'estimated_hours', 'resources', 'hours');
  moveInto(proposal, 'timeline_weeks', 'timeline', 'weeks');
  const { breakdown } = proposal;
  if (isJsonObject(breakdown) && proposal.estimate === undefined) {
    // Its phases are the timeline's; the rest is how the estimate was made.
    const { phases, ...estimate } = breakdown;
    const timeline = proposal.timeline ?? {};
    const phasesFit = phases !== undefined && isJsonObject(timeline) && timeline.phases === undefined;
    if (phasesFit) proposal.timeline = { ...timeline, phases };
    const kept = phasesFit || phases === undefined ? estimate : breakdown;
    if (Object.keys(kept).length > 0 || phases === undefined) proposal.estimate = kept;
    delete proposal.breakdown;
  }
  return proposal;
}

/** A number member into an object member, when that slot is free. */
function moveInto(proposal: JsonObject, from: string, object: string, member: string): void {
  const value = proposal[from];
  if (typeof value !== 'number') return;
  const target = proposal[object] ?? {};
  if (!isJsonObject(target) || target[member] !== undefined) return;
  proposal[object] = { ...target, [member]: value };
  Reflect.deleteProperty(proposal, from);
}
