// The hazard state machine as data (fixmystreet style): states with a type, actions with their
// from-states, target, actor and required fields. Code asks the tables; it never compares state strings.

export type StateType = 'open' | 'closed';

export interface StateDefinition {
  readonly type: StateType;
  /** Chinese label shown to staff (the official terms). */
  readonly label: string;
  /** What the tipster reads on the receipt: plain words, no office jargon (待分办, 销号). */
  readonly publicLabel: string;
  /** Closed because the hazard was actually removed (counts as rectified in rankings). */
  readonly fixed?: boolean;
  /** The item waits for the office (triage queue). */
  readonly awaitsOffice?: boolean;
  /** Closed by being merged into another hazard (duplicate_of): its reports live on there. */
  readonly merged?: boolean;
}

export const STATES = {
  reported: { type: 'open', label: '待分办', publicLabel: '已受理，正在分派', awaitsOffice: true },
  assigned: { type: 'open', label: '已交办，待签收', publicLabel: '已交责任单位整改' },
  returned: { type: 'open', label: '已退单，待重新分办', publicLabel: '已受理，正在分派', awaitsOffice: true },
  rectifying: { type: 'open', label: '整改中', publicLabel: '责任单位正在整改' },
  fixed_reported: { type: 'open', label: '已整改，待核查', publicLabel: '已整改，正在核实', awaitsOffice: true },
  reopened: { type: 'open', label: '群众反映未整改，待重新分办', publicLabel: '已收到您的反馈，正在重新督办', awaitsOffice: true },
  closed: { type: 'closed', label: '已销号', publicLabel: '已整改完毕', fixed: true },
  fixed_on_spot: { type: 'closed', label: '已现场整改', publicLabel: '已当场整改完毕', fixed: true },
  duplicate: { type: 'closed', label: '重复反映，已合并', publicLabel: '已与他人反映的同一问题一并办理', merged: true },
  not_a_hazard: { type: 'closed', label: '经核实不属于治安隐患', publicLabel: '经核实不属于治安隐患' },
} as const satisfies Record<string, StateDefinition>;

export type HazardState = keyof typeof STATES;
export const STATE_IDS = Object.keys(STATES) as HazardState[];

/** Who performs an action: the district office, the hazard's lead unit, a co-unit (配合单位), the tipster on the receipt, or the system. */
export type Actor = 'admin' | 'lead' | 'co' | 'tipster' | 'system';

/** Inputs an action may take. `deadline` is satisfied by a date or by a number of days with their kind. */
export type ActionField = 'leadUnit' | 'coUnits' | 'deadline' | 'note' | 'reason' | 'photo' | 'duplicateOf';

export interface ActionDefinition {
  readonly label: string;
  readonly from: readonly HazardState[];
  /** Omitted: the state stays (a recorded event only). */
  readonly to?: HazardState;
  readonly by: readonly Actor[];
  readonly requires: readonly ActionField[];
  readonly optional: readonly ActionField[];
  /** The note may be shown to the tipster on the receipt; otherwise only the state label is. */
  readonly publicNote?: boolean;
  /** Shown in place of the note on the receipt. */
  readonly publicText?: string;
  /** The acting unit lets go of the hazard: lead, co-units and deadline are cleared (退单). */
  readonly releasesLead?: boolean;
  /** A step back or a refusal; pages show it as a secondary button. */
  readonly negative?: boolean;
}

const OFFICE_DESK = ['reported', 'returned', 'reopened'] as const satisfies readonly HazardState[];

export const ACTIONS = {
  assign: {
    label: '交办（挂牌督办）',
    from: OFFICE_DESK,
    to: 'assigned',
    by: ['admin'],
    requires: ['leadUnit', 'deadline'],
    optional: ['coUnits', 'note'],
    publicText: '已交办责任单位限期整改',
  },
  reassign: {
    label: '改派或调整期限',
    from: ['assigned', 'rectifying'],
    to: 'assigned',
    by: ['admin'],
    requires: ['leadUnit', 'deadline'],
    optional: ['coUnits', 'note'],
    publicText: '已重新交办责任单位',
  },
  accept: { label: '签收', from: ['assigned'], to: 'rectifying', by: ['lead'], requires: [], optional: ['note'], publicText: '责任单位已签收，正在整改' },
  return: {
    label: '退单',
    // Only before signing (Issue 5: sign for it, or return it with a reason). Once signed, a late item
    // returned would drop out of the unit's H/T figures — passing the buck (R13); the office reassigns instead.
    from: ['assigned'],
    to: 'returned',
    by: ['lead'],
    requires: ['reason'],
    optional: [],
    publicText: '正在重新确定责任单位',
    releasesLead: true,
    negative: true,
  },
  report_fixed: {
    label: '报告整改完成',
    from: ['rectifying'],
    to: 'fixed_reported',
    by: ['lead'],
    requires: ['note'],
    optional: ['photo'],
    publicText: '责任单位报告已整改，等待核查',
  },
  reject: {
    label: '核查未通过，退回整改',
    from: ['fixed_reported'],
    to: 'rectifying',
    by: ['admin'],
    requires: ['reason'],
    optional: [],
    publicText: '核查未通过，继续整改',
    negative: true,
  },
  close: { label: '核查销号', from: ['fixed_reported'], to: 'closed', by: ['admin'], requires: [], optional: ['note'], publicNote: true },
  fix_on_spot: {
    label: '已现场整改',
    from: OFFICE_DESK,
    to: 'fixed_on_spot',
    by: ['admin'],
    requires: ['note'],
    // The unit that fixed it, so the fix counts for it in the rankings.
    optional: ['leadUnit', 'photo'],
    publicNote: true,
  },
  duplicate: {
    label: '合并为重复反映',
    from: OFFICE_DESK,
    to: 'duplicate',
    by: ['admin'],
    requires: ['duplicateOf'],
    optional: ['note'],
    publicText: '与其他群众反映的同一隐患合并处理',
  },
  not_a_hazard: {
    label: '不属于隐患',
    from: OFFICE_DESK,
    to: 'not_a_hazard',
    by: ['admin'],
    requires: ['reason'],
    optional: [],
    publicNote: true,
    negative: true,
  },
  urge: {
    label: '催办',
    from: ['assigned', 'rectifying'],
    by: ['admin'],
    requires: ['note'],
    optional: [],
  },
  progress: {
    label: '报告整改进展',
    from: ['rectifying'],
    // A co-unit reports on its own part (parts.ts: after signing for it); the state stays.
    by: ['lead', 'co'],
    requires: ['note'],
    optional: ['photo'],
  },
  accept_part: {
    label: '配合单位签收',
    // A co-unit may sign for its part before the lead unit signs for the whole.
    from: ['assigned', 'rectifying'],
    by: ['co'],
    requires: [],
    optional: ['note'],
  },
  report_part_fixed: {
    label: '配合单位报告完成',
    from: ['rectifying'],
    by: ['co'],
    requires: ['note'],
    optional: ['photo'],
  },
  reopen: {
    label: '群众反映未整改',
    from: ['closed', 'fixed_on_spot'],
    to: 'reopened',
    by: ['tipster'],
    requires: [],
    // No free text from the public: it would reach every unit reading the history.
    optional: [],
    publicText: '您反映仍未整改，已转区综治办重新处理',
  },
  confirm_fixed: {
    label: '群众确认已整改',
    from: ['closed', 'fixed_on_spot'],
    by: ['tipster'],
    requires: [],
    optional: [],
    publicText: '您已确认整改到位，感谢监督',
  },
} as const satisfies Record<string, ActionDefinition>;

export type HazardAction = keyof typeof ACTIONS;
export const ACTION_IDS = Object.keys(ACTIONS) as HazardAction[];

/** Events the system writes without a state change (creation, reminders, overdue, merges). */
export const SYSTEM_EVENTS = {
  report: { label: '收到反映', publicText: '已收到您的反映' },
  record_ledger: { label: '台账登记', publicText: '已登记' },
  remind: { label: '到期提醒' },
  overdue: { label: '已逾期' },
  merged: { label: '合并重复反映' },
} as const;

export function isHazardState(s: string): s is HazardState {
  return Object.hasOwn(STATES, s);
}

export function isHazardAction(s: string): s is HazardAction {
  return Object.hasOwn(ACTIONS, s);
}

export function stateOf(s: string): StateDefinition {
  return isHazardState(s) ? STATES[s] : { type: 'open', label: s, publicLabel: s };
}

export const isOpen = (s: string) => stateOf(s).type === 'open';
export const isClosed = (s: string) => stateOf(s).type === 'closed';
/** Closed because it was rectified (销号 or fixed on the spot). */
export const isFixed = (s: string) => isClosed(s) && stateOf(s).fixed === true;
export const awaitsOffice = (s: string) => stateOf(s).awaitsOffice === true;
export const isMerged = (s: string) => stateOf(s).merged === true;
export const stateLabel = (s: string) => stateOf(s).label;
/** The state as the tipster's receipt says it. */
export const publicStateLabel = (s: string) => stateOf(s).publicLabel;

export const OPEN_STATES = STATE_IDS.filter(isOpen);
export const CLOSED_STATES = STATE_IDS.filter(isClosed);
export const FIXED_STATES = STATE_IDS.filter(isFixed);
export const MERGED_STATES = STATE_IDS.filter(isMerged);
/** States the office acts on next: the triage queue and verification. */
export const OFFICE_QUEUE_STATES = STATE_IDS.filter(awaitsOffice);
/** Open states in which a unit holds the hazard and the deadline runs. */
export const UNIT_HELD_STATES = STATE_IDS.filter((s) => isOpen(s) && !awaitsOffice(s));

export function actionDef(action: HazardAction): ActionDefinition {
  return ACTIONS[action];
}

/** The actions an actor may take from a state, in table order. */
export function allowedActions(state: string, actors: readonly Actor[]): HazardAction[] {
  return ACTION_IDS.filter((a) => {
    const def: ActionDefinition = ACTIONS[a];
    return (def.from as readonly string[]).includes(state) && def.by.some((b) => actors.includes(b));
  });
}

/** Where an action leads from a state, or null when the table does not allow it. */
export function nextState(state: string, action: HazardAction): HazardState | null {
  const def: ActionDefinition = ACTIONS[action];
  if (!(def.from as readonly string[]).includes(state)) return null;
  return def.to ?? (state as HazardState);
}
