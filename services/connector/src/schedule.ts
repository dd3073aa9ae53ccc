// A profile's schedule: when the platform's ingestion runs its sync. This
// service runs nothing on it; it checks it and shows the next runs. Daily and
// weekly schedules are cron expressions too (minute hour * * day), so croner
// answers every "when next" in the schedule's time zone.
import type { ErrorDetail } from '@analytics-engine/http';
import type { ConnectorProfile } from '@analytics-engine/storage';
import { Cron } from 'croner';

export type Schedule = NonNullable<ConnectorProfile['schedule']>;

export const NEXT_RUNS = 3;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** Why croner refuses the expression, or undefined when it parses. */
export function cronProblem(expression: string): string | undefined {
  try {
    new Cron(expression, { paused: true }).stop();
    return undefined;
  } catch (error) {
    // croner's messages name the field and value, never anything but the expression itself.
    return `not a valid cron expression (${error instanceof Error ? error.message : 'unparsable'})`;
  }
}

/** The cron expression a schedule runs on, or undefined for manual (or one that lacks what it needs). */
function cronOf(schedule: Schedule): string | undefined {
  if (schedule.frequency === 'custom') return schedule.cron_expression ?? undefined;
  if (schedule.frequency === 'manual' || !schedule.time) return undefined;
  const [hours, minutes] = schedule.time.split(':').map(Number);
  const day = schedule.frequency === 'weekly' ? WEEKDAYS.indexOf(schedule.day_of_week ?? 'monday') : '*';
  return `${String(minutes)} ${String(hours)} * * ${String(day)}`;
}

/** The next runs after `now`, ISO-8601 in UTC; none when manual, inactive, or unusable (a legacy row's bad cron). */
export function nextRuns(schedule: Schedule, now: Date, count = NEXT_RUNS): string[] {
  const expression = schedule.active === false ? undefined : cronOf(schedule);
  if (expression === undefined) return [];
  try {
    const cron = new Cron(expression, { paused: true, timezone: schedule.timezone ?? 'UTC' });
    const runs = cron.nextRuns(count, now).map((run) => run.toISOString());
    cron.stop();
    return runs;
  } catch {
    return [];
  }
}

/**
 * What a written schedule lacks for its frequency, or a cron croner refuses; paths below body.schedule. A member
 * another frequency uses (a cron beside daily) is kept and ignored, so switching frequency is one change.
 */
export function scheduleProblems(schedule: Schedule): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const at = (member: string, message: string) => problems.push({ path: `body.schedule.${member}`, message });
  if (schedule.frequency === 'custom') {
    if (!schedule.cron_expression) at('cron_expression', 'is required when frequency is custom');
    else {
      const problem = cronProblem(schedule.cron_expression);
      if (problem) at('cron_expression', problem);
    }
  }
  if ((schedule.frequency === 'daily' || schedule.frequency === 'weekly') && !schedule.time)
    at('time', `is required when frequency is ${schedule.frequency} (HH:MM)`);
  return problems;
}
