// The shapes of forms/: the district's own content (form definitions, campaign, organisation), data only,
// and of the answers a form collects.
import type { CadreRole, UnitKind } from '../db/schema.ts';

export type FieldType =
  | 'text' // one line
  | 'textarea' // several lines
  | 'choice' // one of options (radio buttons, or a select when there are many)
  | 'multichoice' // several of options (checkboxes)
  | 'boolean' // yes / no
  | 'date' // YYYY-MM-DD
  | 'datetime' // YYYY-MM-DDTHH:mm, Asia/Shanghai
  | 'integer'
  | 'phone' // mainland mobile or landline
  | 'photo' // an optional image upload (JPEG/PNG/WebP)
  | 'cadre' // one of the signed-in unit's cadres (unit forms)
  | 'place' // one of the unit's villages/communities (unit forms)
  | 'unit' // any unit of the organisation (e.g. the department a suggestion concerns)
  | 'task'; // one of the signed-in unit's campaign tasks

export interface FieldOption {
  readonly value: string;
  readonly label: string;
  /** No longer offered (it has answers, so it is kept for showing them). */
  readonly hidden?: boolean;
}

/** What an answer contributes to the daily ranking; extracted into indexed columns at insert time. */
export type FieldMetric = 'satisfaction' | 'aware' | 'participated' | 'cadre' | 'task' | 'quantity';

export interface FieldDefinition {
  readonly name: string;
  readonly type: FieldType;
  readonly label: string;
  readonly help?: string;
  readonly required?: boolean;
  readonly options?: readonly FieldOption[];
  /** 'slogans': a multichoice of the current campaign's slogans (options is the template's list, for reference). */
  readonly optionsFrom?: 'slogans';
  /**
   * Lengths for text, values for integer, earliest/latest for date: YYYY-MM-DD, 'today' (Asia/Shanghai), or
   * 'campaign-start' / 'campaign-end', the current campaign's window as the office set it.
   */
  readonly min?: number | string;
  readonly max?: number | string;
  readonly pattern?: string;
  /** Message shown when pattern does not match. */
  readonly patternMessage?: string;
  /** Personal data: stored apart from the payload, never in the sheet, logs or non-admin exports. */
  readonly personal?: boolean;
  /** Column heading in the sheet; false keeps the field out of the sheet. Defaults to the label. */
  readonly sheetColumn?: string | false;
  readonly metric?: FieldMetric;
  /** Shown only when another field has one of these values. */
  readonly showWhen?: { readonly field: string; readonly equals: readonly string[] };
  readonly placeholder?: string;
}

/** A validated answer: text and codes as strings, integers and cadre ids as numbers, choices of several as lists. */
export type AnswerValue = string | number | boolean | string[];
export type Answers = Record<string, AnswerValue>;

export interface FormDefinition {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly intro: string;
  readonly audience: 'public' | 'unit';
  readonly fields: readonly FieldDefinition[];
  readonly submitLabel?: string;
  /** Shown on the receipt page. */
  readonly thanks?: string;
}

/** The ranking's metrics; C (patrol coverage) and U (publicity coverage) came later and weigh 0 unless the office sets them. */
export type MetricKey = 'V' | 'H' | 'T' | 'S' | 'A' | 'P' | 'G' | OptionalMetricKey;
export type OptionalMetricKey = 'C' | 'U';
/** Weights by metric; an optional metric without a weight weighs 0, so a campaign saved before it existed scores as it did. */
export type MetricWeights = Readonly<Record<Exclude<MetricKey, OptionalMetricKey>, number> & Partial<Record<OptionalMetricKey, number>>>;

export interface Campaign {
  readonly name: string;
  readonly district: string;
  /** The short name in titles and headings (the brand of the district's campaign). */
  readonly brand: string;
  readonly office: string;
  /** YYYY-MM-DD, inclusive, in the campaign time zone. */
  readonly startDate: string;
  readonly endDate: string;
  readonly timezone: 'Asia/Shanghai';
  /** R1: households each cadre visits, by role. */
  readonly visitQuotas: Readonly<Record<CadreRole, number>>;
  /** R5: red-armband team sizes by village/community population. */
  readonly patrolSizes: readonly { readonly populationBelow: number | null; readonly min: number; readonly max: number }[];
  /** R3, R7: campaign deadlines shown with days left. */
  readonly deadlines: readonly { readonly id: string; readonly date: string; readonly label: string; readonly rule: string }[];
  readonly rankingWeights: MetricWeights;
  /** Score under which a unit is highlighted on the leader page. */
  readonly rankingThreshold: number;
  /** Default rectification deadline for an assigned hazard (R11). */
  readonly hazardDeadline: { readonly days: number; readonly kind: 'calendar' | 'working'; readonly remindDaysBefore: number };
  readonly slogans: readonly string[];
  /** Days after the campaign's end that residents' and tipsters' personal data and photos are kept (PIPL); 180 when absent. */
  readonly retentionDays?: number;
}

export interface CampaignTask {
  readonly id: string;
  /** Unit code of the department, 'towns' (every town and sub-district) or 'stations' (every police station) that owns the task. */
  readonly owner: string;
  readonly title: string;
  readonly rule: string;
  /** What is counted, e.g. 条, 次, 人. */
  readonly unitLabel: string;
  readonly target: number;
  /** Where the figure comes from: a register (one entry counts everywhere); none means typed task reports. */
  readonly from?: TaskSource;
  /**
   * R15 "三个一": each 包村、社区干警 (a police station's officer assigned to one of the owner's villages or communities)
   * has this target of their own; the station reports it naming the officer, and the town's figure counts it too.
   */
  readonly perOfficer?: number;
}

/**
 * A task counted from a register: its entries, the sum of number fields, or distinct named objects (schools,
 * internet cafés) in one text field, optionally only entries whose choice field has one of some values.
 */
export interface TaskSource {
  readonly form: string;
  readonly count: 'entries' | 'sum' | 'distinct';
  /** sum: the integer fields added up; distinct: the one text field naming the object. */
  readonly fields?: readonly string[];
  readonly where?: { readonly field: string; readonly equals: readonly string[] };
}

export interface OrganisationUnit {
  readonly code: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly parent?: string;
  readonly population?: number;
}

export interface OrganisationCadre {
  readonly unit: string;
  readonly name: string;
  readonly post: string;
  readonly role: CadreRole;
  readonly assigned?: string;
}

export interface Organisation {
  readonly units: readonly OrganisationUnit[];
  readonly cadres: readonly OrganisationCadre[];
}
