// The campaign of the seed plan (区综治委, 2014-10-29): dates, quotas, deadlines, ranking weights, slogans.
// Rule ids (R1…) refer to /work/shared/DOMAIN.md.
import type { Campaign } from '../src/forms/types.ts';

const campaign: Campaign = {
  name: '平安建设集中宣传、治安隐患集中整治（两集中）活动',
  district: '金台区',
  brand: '平安金台',
  office: '区综治办',
  startDate: '2014-10-29',
  endDate: '2014-11-30',
  timezone: 'Asia/Shanghai',

  // R1: 区级领导 ≥30 户, 各部门、各镇街领导 ≥50 户, 每名干部 ≥80 户.
  visitQuotas: {
    district_leader: 30,
    unit_leader: 50,
    cadre: 80,
  },

  // R5: 1000人以下的村、社区 7–10 人, 1000人以上 10–15 人.
  patrolSizes: [
    { populationBelow: 1000, min: 7, max: 10 },
    { populationBelow: null, min: 10, max: 15 },
  ],

  deadlines: [
    { id: 'hazard-ledger', date: '2014-11-15', label: '镇街隐患台账上报区综治办和公安分局', rule: 'R7' },
    { id: 'visit-summary', date: '2014-11-30', label: '入户下访登记表汇总上报', rule: 'R3' },
    { id: 'campaign-end', date: '2014-11-30', label: '“两集中”活动结束', rule: 'R14' },
  ],

  rankingWeights: { V: 25, H: 15, T: 10, S: 20, A: 10, P: 5, G: 15 },
  rankingThreshold: 60,

  // Personal data (names, phones, addresses, photos) is deleted this many days after the campaign ends.
  retentionDays: 180,

  // R11: a hazard that cannot be fixed on the spot gets a deadline; remind the day before.
  hazardDeadline: { days: 7, kind: 'working', remindDaysBefore: 1 },

  // In the spirit of 附件2「创建平安金台宣传标语」 (not reproduced in the plan).
  slogans: [
    '创建平安金台，共享和谐家园',
    '平安金台，人人参与',
    '平安建设，人人有责',
    '全民动员，全面参与，共建平安金台',
    '深化平安建设，创建文明城市',
    '群防群治保平安，警民联防促和谐',
    '排查治安隐患，守护百姓平安',
    '小事不出村，大事不出镇街',
    '人防物防技防消防，四防齐抓保平安',
    '平安是福，和谐是金',
    '白天见警察，晚上见警灯',
    '红袖标上岗，平安进万家',
    '小手拉大手，共创平安区',
    '平安历书进万家，治安隐患早排查',
    '发现治安隐患，请及时报告',
    '法治护航，平安同行',
    '远离黄赌毒，珍爱生命健康',
    '抵制传销，远离陷阱',
    '安全生产重于泰山',
    '平安单位共创建，平安成果共分享',
  ],
};

export default campaign;
