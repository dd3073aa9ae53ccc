// The schedule: phase lengths from the hours of work over the team's capacity
// (people x hours per week), laid out with the reference's overlaps (sample:
// environment 1-2, integration 2-6, KPIs 4-8, testing 7-9, go-live 10). Every
// length and start is a non-decreasing function of the hours, so more work never
// gives a shorter schedule. Weeks are Monday-based: week 1 is the week of the
// start date, and a phase ends on the Friday of its last week.
import { formatIsoDate, mondayOf } from './calendar.js';
import type { ImplementationWork } from './implementation-pricing.js';
import type { Questionnaire } from './questionnaire-schema.js';
import type { Cents, PhaseId, QuoteSchedule, SchedulePhase, ScheduleRole } from './quote-types.js';
import { ceilDiv, fromHundredths } from './units.js';

export const SCHEDULE_MODEL = {
  /** KPI work starts once this share of the integration weeks has passed (2/5: week 4 of 2-6). */
  kpiStartShare: { numerator: 2, denominator: 5 },
  /** The last KPIs are built on the last objects: KPI work ends at least this long after integration. */
  kpiWeeksAfterIntegration: 2,
  /** Testing starts this many weeks before the KPI phase's last week (7-9 beside KPIs ending in 8). */
  testingStartsBeforeKpiEnd: 1,
  /** Testing effort is this share of the build hours, at the developers' capacity, plus client UAT. */
  testingShareOfBuild: { numerator: 1, denominator: 5 },
  uatWeeks: 1,
  goLiveWeeks: 1,
} as const;

export const ROLE_NAMES = {
  accessSpecialist: 'Access Specialist',
  cloudArchitect: 'Cloud Architect',
  developer: 'Integration Developer / Analyst',
  architect: 'Integration Architect',
} as const;

/** Weeks of each phase's own work, and of each build role's integration and KPI work together. */
interface Lengths {
  readonly environment: number;
  readonly integration: number;
  readonly kpi: number;
  readonly developerBuild: number;
  readonly architectBuild: number;
  readonly testing: number;
  readonly goLive: number;
}

type Span = readonly [start: number, end: number];
interface Layout {
  readonly environment: Span | undefined;
  readonly integration: Span;
  readonly kpi: Span;
  readonly testing: Span;
  readonly goLive: Span;
}

function layout(weeks: Lengths): Layout {
  const model = SCHEDULE_MODEL;
  // Integration starts in the setup's last week: source access comes as the environment is finished.
  const integrationStart = weeks.environment > 0 ? weeks.environment : 1;
  const integrationEnd = integrationStart + weeks.integration - 1;
  const kpiStart =
    integrationStart +
    Math.floor((weeks.integration * model.kpiStartShare.numerator) / model.kpiStartShare.denominator);
  const kpiEnd = Math.max(
    kpiStart + weeks.kpi - 1,
    integrationEnd + model.kpiWeeksAfterIntegration,
    // A role on both phases works through its hours once: at most one phase's worth at a time.
    integrationStart + Math.max(weeks.developerBuild, weeks.architectBuild) - 1,
  );
  const testingStart = kpiEnd - model.testingStartsBeforeKpiEnd;
  const testingEnd = testingStart + weeks.testing - 1;
  return {
    environment: weeks.environment > 0 ? [1, weeks.environment] : undefined,
    integration: [integrationStart, integrationEnd],
    kpi: [kpiStart, kpiEnd],
    testing: [testingStart, testingEnd],
    goLive: [testingEnd + 1, testingEnd + weeks.goLive],
  };
}

/**
 * Phases where one more week of their own work moves go-live (zero float). The extra week is also a week more
 * for the roles that do the phase's work, since they carry it through both build phases.
 */
function criticalPhases(weeks: Lengths, work: ImplementationWork): Set<PhaseId> {
  const end = layout(weeks).goLive[1];
  const later = (longer: Partial<Lengths>) => layout({ ...weeks, ...longer }).goLive[1] > end;
  const roles = (developer: number, architect: number) => ({
    developerBuild: weeks.developerBuild + (developer > 0 ? 1 : 0),
    architectBuild: weeks.architectBuild + (architect > 0 ? 1 : 0),
  });
  const integration = roles(work.developerIntegration, work.architectIntegration);
  const kpi = roles(work.developerKpi, work.architectKpi);
  const critical = new Set<PhaseId>();
  if (weeks.environment > 0 && later({ environment: weeks.environment + 1 })) critical.add('environment_setup');
  if (later({ integration: weeks.integration + 1, ...integration })) critical.add('data_integration');
  if (later({ kpi: weeks.kpi + 1, ...kpi })) critical.add('kpi_implementation');
  if (later({ testing: weeks.testing + 1 })) critical.add('testing_uat');
  if (later({ goLive: weeks.goLive + 1 })) critical.add('go_live');
  return critical;
}

function lengths(work: ImplementationWork, team: Questionnaire['team']): Lengths {
  const perPerson = team.hours_per_week * 100;
  const developers = team.integration_developers * perPerson;
  const architects = team.integration_architects * perPerson;
  const environment =
    work.cloudArchitect === undefined
      ? 0
      : Math.max(
          1,
          ceilDiv(work.cloudArchitect, team.cloud_architects * perPerson),
          ceilDiv(work.accessSpecialist ?? 0, perPerson),
        );
  const build = work.developerIntegration + work.developerKpi + work.architectIntegration + work.architectKpi;
  const share = SCHEDULE_MODEL.testingShareOfBuild;
  return {
    environment,
    integration: Math.max(
      1,
      ceilDiv(work.developerIntegration, developers),
      ceilDiv(work.architectIntegration, architects),
    ),
    kpi: Math.max(1, ceilDiv(work.developerKpi, developers), ceilDiv(work.architectKpi, architects)),
    developerBuild: ceilDiv(work.developerIntegration + work.developerKpi, developers),
    architectBuild: ceilDiv(work.architectIntegration + work.architectKpi, architects),
    testing: SCHEDULE_MODEL.uatWeeks + Math.max(1, ceilDiv(build * share.numerator, developers * share.denominator)),
    goLive: SCHEDULE_MODEL.goLiveWeeks,
  };
}

/** The weeks of a role working on integration and/or KPIs: from its first phase to its last. */
function buildWeeks(integrationHours: number, kpiHours: number, plan: Layout): Span {
  return [integrationHours > 0 ? plan.integration[0] : plan.kpi[0], kpiHours > 0 ? plan.kpi[1] : plan.integration[1]];
}

/**
 * T&M roles are booked at the top of their ranges. The Integration Developer's rate is 0: fixed-price work is
 * charged per line, and the internal cost per hour is a margin figure never shown to a client.
 */
function roles(work: ImplementationWork, plan: Layout, tmRate: Cents): ScheduleRole[] {
  const result: ScheduleRole[] = [];
  const add = (role: string, hundredths: number, rate: Cents, [start, end]: Span) => {
    result.push({ role, hours: fromHundredths(hundredths), rate, start_week: start, end_week: end });
  };
  if (plan.environment !== undefined) {
    add(ROLE_NAMES.accessSpecialist, work.accessSpecialist ?? 0, 0, plan.environment);
    add(ROLE_NAMES.cloudArchitect, work.cloudArchitect ?? 0, tmRate, plan.environment);
  }
  const developer = work.developerIntegration + work.developerKpi;
  if (developer > 0) {
    add(ROLE_NAMES.developer, developer, 0, buildWeeks(work.developerIntegration, work.developerKpi, plan));
  }
  const architect = work.architectIntegration + work.architectKpi;
  if (architect > 0) {
    add(ROLE_NAMES.architect, architect, tmRate, buildWeeks(work.architectIntegration, work.architectKpi, plan));
  }
  return result;
}

export function buildSchedule(
  work: ImplementationWork,
  team: Questionnaire['team'],
  startDay: number,
  tmRate: Cents,
): QuoteSchedule {
  const weeks = lengths(work, team);
  const plan = layout(weeks);
  const critical = criticalPhases(weeks, work);
  const firstMonday = mondayOf(startDay);
  const phase = (id: PhaseId, name: string, [start, end]: Span, dependsOn: readonly PhaseId[]): SchedulePhase => ({
    id,
    name,
    start_week: start,
    end_week: end,
    start_date: formatIsoDate(start === 1 ? startDay : firstMonday + 7 * (start - 1)),
    end_date: formatIsoDate(firstMonday + 7 * (end - 1) + 4),
    depends_on: dependsOn,
    critical: critical.has(id),
  });
  const phases: SchedulePhase[] = [];
  if (plan.environment !== undefined) {
    phases.push(phase('environment_setup', 'Environment setup', plan.environment, []));
  }
  phases.push(
    phase('data_integration', 'Data integration', plan.integration, plan.environment ? ['environment_setup'] : []),
    phase('kpi_implementation', 'KPI implementation', plan.kpi, ['data_integration']),
    // Testing follows both: its start is the KPI phase's, which is held at least two weeks after integration.
    phase('testing_uat', 'Testing and UAT', plan.testing, ['data_integration', 'kpi_implementation']),
    phase('go_live', 'Go-live', plan.goLive, ['testing_uat']),
  );
  const last = phases[phases.length - 1];
  return {
    start_date: formatIsoDate(startDay),
    end_date: last?.end_date ?? formatIsoDate(startDay),
    total_weeks: plan.goLive[1],
    phases,
    roles: roles(work, plan, tmRate),
  };
}
